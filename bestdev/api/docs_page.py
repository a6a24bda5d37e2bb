"""/api/docs: Swagger UI from the swagger-ui-bundle package, served by the app itself (no CDN), started by a
script file of ours (no inline script, so the Content-Security-Policy holds here too)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS_PATH = "/api/docs"
ASSETS_PATH = "/static/swagger-ui"

# Relative links: /api/docs -> ../static/... works under any path prefix the host puts in front.
_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>BestDev API</title>
  <link rel="stylesheet" href="../static/swagger-ui/swagger-ui.css">
  <link rel="icon" href="../static/logo.svg" type="image/svg+xml">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="../static/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="../static/docs.js"></script>
</body>
</html>
"""


def add_docs(app: FastAPI) -> None:
    """GET /api/docs and the Swagger UI files it loads (the app's FastAPI(docs_url=None) leaves this to us)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=Path(str(swagger_ui_path))), name="swagger-ui")
    app.get(DOCS_PATH, include_in_schema=False)(docs)


async def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE)
