"""Every response carries the security headers; API answers are never cached; the page and /api/docs need nothing
from another origin and no inline script or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from bestdev.api.routes import STATIC_DIR

BODY = {"description": "A React Native app with Firebase", "top_k": 1}


def test_the_policy_allows_only_this_origin_and_no_inline_code(local_client: TestClient) -> None:
    policy = local_client.get("/").headers["content-security-policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src"):
        assert directives[name] == "'self'", name
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert not re.search(r"https?://", policy)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/static/app.js"),
        ("GET", "/api/docs"),
        ("GET", "/static/swagger-ui/swagger-ui-bundle.js"),
        ("GET", "/api/health"),
        ("GET", "/api/openapi.json"),
        ("POST", "/api/recommend"),
        ("GET", "/api/nowhere"),
    ],
)
def test_every_response_has_the_headers(local_client: TestClient, method: str, path: str) -> None:
    response = local_client.request(method, path, json=BODY if method == "POST" else None)
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/api/health", "/api/pool", "/api/openapi.json", "/api/nowhere"])
def test_api_answers_are_not_cached(local_client: TestClient, path: str) -> None:
    assert local_client.get(path).headers["cache-control"] == "no-store"


def test_api_errors_are_not_cached_either(local_client: TestClient) -> None:
    response = local_client.post("/api/recommend", json={"description": ""})
    assert response.status_code == 422
    assert response.headers["cache-control"] == "no-store"
    assert local_client.post("/api/recommend", json=BODY).headers["cache-control"] == "no-store"


def test_the_page_and_its_assets_may_be_cached(local_client: TestClient) -> None:
    assert "no-store" not in local_client.get("/static/style.css").headers.get("cache-control", "")


class _Inline(HTMLParser):
    """Collects what a strict policy would block: inline scripts, style elements and attributes, handlers, and
    anything loaded from another origin."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not found.get("src"):
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in {"src", "href"} and value and re.match(r"(https?:)?//", value):
                self.problems.append(f"{name}={value} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("inline script text")


@pytest.mark.parametrize("path", ["/", "/api/docs"])
def test_pages_have_no_inline_code_and_nothing_from_elsewhere(local_client: TestClient, path: str) -> None:
    parser = _Inline()
    parser.feed(local_client.get(path).text)
    assert parser.problems == []


def test_the_docs_load_swagger_ui_from_the_app(local_client: TestClient) -> None:
    page = local_client.get("/api/docs").text
    for asset in ("swagger-ui/swagger-ui.css", "swagger-ui/swagger-ui-bundle.js", "static/docs.js"):
        assert asset in page
        response = local_client.get(f"/static/{asset.removeprefix('static/')}")
        assert response.status_code == 200, asset
    assert "cdn" not in page.lower()


def test_the_page_script_never_reads_a_key_or_an_api_from_its_url() -> None:
    for script in STATIC_DIR.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "location.search" not in text, script.name
        assert "x-functions-key" not in text.lower(), script.name


def test_no_response_asks_a_browser_for_a_key(local_client: TestClient) -> None:
    """The page, every file it can load, the docs, the schema and the error answers: none mentions a function key or
    a `code` parameter (the way a key would be asked for)."""
    paths = ["/", "/api/docs", "/api/openapi.json", "/api/nowhere", "/api/health"]
    paths += [f"/static/{path.name}" for path in STATIC_DIR.iterdir()]
    for path in paths:
        text = local_client.get(path).text.lower()
        for asked in ("functions-key", "function key", "?code=", "&code="):
            assert asked not in text, f"{path} mentions {asked}"
    refused = local_client.post("/api/recommend", content=b"{", headers={"content-type": "application/json"})
    assert "key" not in refused.text.lower()
