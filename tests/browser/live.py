"""What the browser tests serve: the real app, with the local recommender or one that holds its answer."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import Page

from bestdev.api.app import create_app
from bestdev.api.routes import STATIC_DIR
from bestdev.pool import load_pool
from bestdev.recommend.base import Backend, Outcome, Team
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings

Serve = Callable[[FastAPI], str]  # starts an app on a free loopback port, returns its base URL
Screenshot = Callable[[Page, str], Path]  # saves a full-page screenshot under test-artifacts/browser/
ModelSettings = Callable[..., Settings]  # tests/conftest.py: settings pointing at the fake model server


def local_recommender() -> LocalRecommender:
    return LocalRecommender(load_pool())


def app_with(recommender: object, cors_origins: str = "") -> FastAPI:
    """The real app, with a chosen recommender (no model, no Azure) and optional CORS origins."""
    settings = Settings(BESTDEV_CORS_ORIGINS=cors_origins)
    return create_app(settings, recommender=recommender)


def static_site() -> FastAPI:
    """Stands in for a static host (Azure Static Web Apps, a CDN): the page's files only, with none of the API's
    headers (the host sets its own policy)."""
    site = FastAPI()
    site.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    site.get("/")(lambda: FileResponse(STATIC_DIR / "index.html"))
    return site


class GatedRecommender:
    """The local recommender, holding each answer until the test opens the gate (to observe the busy state)."""

    def __init__(self, local: LocalRecommender) -> None:
        self.local = local
        self.pool = local.pool
        self.backend: Backend = local.backend
        self.gate = threading.Event()
        self.waiting = threading.Event()

    async def recommend(self, description: str, top_k: int, start: date | None = None) -> Outcome:
        self.waiting.set()
        opened = await asyncio.to_thread(self.gate.wait, 20)
        if not opened:
            raise RuntimeError("the test never opened the gate")
        return await self.local.recommend(description, top_k, start)

    async def team(self, description: str, max_size: int, start: date | None = None) -> Team:
        self.waiting.set()
        opened = await asyncio.to_thread(self.gate.wait, 20)
        if not opened:
            raise RuntimeError("the test never opened the gate")
        return await self.local.team(description, max_size, start)

    async def aclose(self) -> None:
        self.gate.set()
