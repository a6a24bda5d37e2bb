"""The ASGI app factory: settings read at once; the recommender (and model client) made at startup, closed at
shutdown (see startup). Hosts that start the app inside its first request build it in the background instead
(see background)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from bestdev.api import startup
from bestdev.api.body_guard import BodyGuardMiddleware
from bestdev.api.docs_page import add_docs
from bestdev.api.errors import install_error_handlers
from bestdev.api.request_context import RequestContextMiddleware, install_request_id_in_logs
from bestdev.api.role_gate import RoleGateMiddleware
from bestdev.api.routes import STATIC_DIR, add_routes
from bestdev.api.security_headers import SecurityHeadersMiddleware
from bestdev.feedback.store import FeedbackStore
from bestdev.lifecycle.retirement import RetirementWatch
from bestdev.model.credential import SharedCredential
from bestdev.recommend.base import Recommender
from bestdev.settings import Settings, load_settings


def create_app(
    settings: Settings | None = None,
    recommender: Recommender | None = None,
    *,
    building: Future[startup.Prepared] | None = None,
    on_started: Callable[[], None] | None = None,
    feedback: FeedbackStore | None = None,
    retirement: RetirementWatch | None = None,
    credential: SharedCredential | None = None,
) -> FastAPI:
    """The BestDev API. Settings are read now (failing fast); the pool is loaded at startup, unless the
    recommender is given or already `building` (then startup waits for it). `on_started` runs once startup is
    done, before the first request. `feedback` is the feedback store (default: the one the settings name).
    `credential` is the process's one Azure credential (default: the lifespan makes one)."""
    settings = settings or load_settings()
    app = FastAPI(
        title="BestDev",
        summary="Which of your developers fits this project, and why.",
        version="0.1.0",
        docs_url=None,  # served from the swagger-ui-bundle package instead (docs_page)
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=startup.lifespan(
            settings,
            retirement or RetirementWatch(),
            recommender=recommender,
            building=building,
            on_started=on_started,
            feedback=feedback,
            credential=credential,
        ),
    )
    install_error_handlers(app)
    add_routes(app)
    add_docs(app)  # before /static: its mount would otherwise take /static/swagger-ui too
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyGuardMiddleware, max_bytes=settings.max_body_bytes, routes=app.routes)
    if settings.required_role:  # inside CORS: its answers stay readable cross-origin, preflights pass
        app.add_middleware(RoleGateMiddleware, required_role=settings.required_role)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_credentials=True,  # the page hosted elsewhere calls with its sign-in session (cookie)
            allow_headers=["Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    install_request_id_in_logs()
    return app
