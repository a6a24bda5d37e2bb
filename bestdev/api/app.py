"""The ASGI app factory: one recommender (and model client) made at startup, closed at shutdown."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from bestdev.api.body_guard import BodyGuardMiddleware
from bestdev.api.errors import install_error_handlers
from bestdev.api.rehearsal import rehearse
from bestdev.api.request_context import RequestContextMiddleware, install_request_id_in_logs
from bestdev.api.routes import STATIC_DIR, add_routes
from bestdev.feedback.factory import build_store
from bestdev.feedback.keeper import AnswerKeeper
from bestdev.feedback.store import FeedbackStore
from bestdev.lifecycle.retirement import RetirementWatch
from bestdev.pool import Pool, PoolError, load_pool
from bestdev.recommend.base import Recommender
from bestdev.recommend.factory import build_recommender
from bestdev.settings import Settings, load_settings

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    recommender: Recommender | None = None,
    *,
    building: Future[Recommender] | None = None,
    on_started: Callable[[], None] | None = None,
    feedback: FeedbackStore | None = None,
) -> FastAPI:
    """The BestDev API. Settings are read now (failing fast); the pool is loaded at startup, unless the
    recommender is given or already `building` (then startup waits for it). `on_started` runs once startup is
    done, before the first request. `feedback` is the feedback store (default: the one the settings name)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        chosen = recommender
        if chosen is None and building is not None:
            chosen = await asyncio.wrap_future(building)
        if chosen is None:
            try:
                pool = await asyncio.to_thread(load_pool, settings.pool_path)
            except PoolError as error:
                log.error("%s", error)
                raise
            chosen = await asyncio.to_thread(_ready_recommender, app, settings, pool)
        app.state.recommender = chosen
        store = feedback or build_store(settings)
        keeper = app.state.answers = AnswerKeeper(store)  # after the rehearsal: its answer is not kept
        log.info("feedback kept in %s for %d days", store.description, settings.feedback_days)
        lookup = _learn_retirement(app.state.retirement, settings)
        if on_started is not None:
            on_started()
        try:
            yield
        finally:
            if lookup is not None:
                lookup.cancel()
            await chosen.aclose()
            await keeper.drain()
            await asyncio.to_thread(store.close)

    app = FastAPI(
        title="BestDev",
        summary="Which of your developers fits this project, and why.",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.retirement = RetirementWatch()
    install_error_handlers(app)
    add_routes(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyGuardMiddleware, max_bytes=settings.max_body_bytes, routes=app.routes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-Request-ID", "x-functions-key"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestContextMiddleware)
    install_request_id_in_logs()
    return app


def _learn_retirement(watch: RetirementWatch, settings: Settings) -> asyncio.Task[None] | None:
    """In the background, when a fine-tuned model is deployed: when it retires (the models list, one call)."""
    model = settings.fine_tuned_model
    if not model or not settings.model_configured:
        return None

    async def learn() -> None:
        from bestdev.model.client import build_client

        async with build_client(settings) as client:
            await watch.learn(client, model)

    return asyncio.get_running_loop().create_task(learn(), name="bestdev-retirement")


def create_started_app(settings: Settings | None = None) -> FastAPI:
    """The API with its startup already under way, for hosts that start the app inside its first request (as
    the Azure Functions ASGI adapter does).

    The pool is loaded now, so a broken pool fails while the host loads the module. The recommender (skill
    matcher, model client and its warm-up) is built in a background thread from the moment the app exists,
    while the host finishes its own start; the app's startup waits for whatever is left of it.
    """
    settings = settings or load_settings()
    pool = load_pool(settings.pool_path)
    building: Future[Recommender] = Future()
    app = create_app(settings, building=building)
    app.state.building = building

    def build() -> None:
        if building.set_running_or_notify_cancel():
            try:
                building.set_result(_ready_recommender(app, settings, pool))
            except BaseException as error:
                building.set_exception(error)

    # A daemon: a process that exits before its first request has no reason to wait for the build.
    threading.Thread(target=build, name="bestdev-startup", daemon=True).start()
    return app


def _ready_recommender(app: FastAPI, settings: Settings, pool: Pool) -> Recommender:
    """The startup's work, in a worker thread: the recommender, then one rehearsal request through the app
    answered without the model (a fine-tuned recommender's local ranking stands in)."""
    recommender = build_recommender(settings, pool)
    stand_in: Recommender = getattr(recommender, "local", recommender)
    rehearse(app, stand_in)
    return recommender
