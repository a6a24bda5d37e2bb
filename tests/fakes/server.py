"""Runs any ASGI app on 127.0.0.1 in a background thread, for tests that need real HTTP (the same runner the
local model's comparison uses, with the app's lifespan run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp

from bestdev.local_model.serving import serving


@contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on a free loopback port; yields its base URL and stops it afterwards."""
    with serving(app, lifespan="on") as url:
        yield url
