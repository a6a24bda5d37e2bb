"""The app for hosts that load the module long before its first request and run the app's startup inside that
request, as the Azure Functions host does (it imports function_app to index the functions, then its ASGI adapter
starts the app with the first call).

`create_started_app` does at once only what must fail while the host loads the module: the settings are already
read (a bad one names its variable) and the pool is read and validated here (a broken pool names its file and
entry). Everything else runs in one daemon thread, `bestdev-startup`, from that moment: importing the web
framework and the model SDK, building the FastAPI app (see app.create_app), then startup.prepare (the recommender,
its warm-up, the rehearsal requests). The host indexes and starts meanwhile; the first call waits for whatever is
left. So this module imports neither FastAPI nor the model client: importing function_app costs about what a
minimal FastAPI app on the Functions adapter does (see docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

from bestdev.model.credential import SharedCredential
from bestdev.pool_source.open import Opened, open_pool, pool_source
from bestdev.settings import Settings, load_settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from bestdev.api.startup import Prepared

THREAD_NAME = "bestdev-startup"


class BackgroundApp:
    """An ASGI app whose real app (the FastAPI one) is being built in the background: each call waits for it, then
    goes to it (the lifespan too: the app's own startup waits for the rest of the build). A failed build fails the
    calls with its error."""

    def __init__(self, building: Future[ASGIApp]) -> None:
        self._building = building
        self._app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        if app is None:
            app = self._app = await asyncio.wrap_future(self._building)
        await app(scope, receive, send)


def create_started_app(settings: Settings | None = None, credential: SharedCredential | None = None) -> BackgroundApp:
    """The API with its build and startup already under way in a background thread (see the module's docstring).
    `credential` is the process's one Azure credential (default: one made here)."""
    settings = settings or load_settings()
    credential = credential or SharedCredential(settings)
    opened = open_pool(pool_source(settings, credential))
    app: Future[ASGIApp] = Future()
    prepared: Future[Prepared] = Future()
    app.set_running_or_notify_cancel()
    prepared.set_running_or_notify_cancel()
    threading.Thread(
        target=_build, args=(settings, credential, opened, app, prepared), name=THREAD_NAME, daemon=True
    ).start()
    return BackgroundApp(app)


def _build(
    settings: Settings,
    credential: SharedCredential,
    opened: Opened,
    app: Future[ASGIApp],
    prepared: Future[Prepared],
) -> None:
    """The thread: the app first (so calls can reach its lifespan), then what its lifespan waits for."""
    try:
        from bestdev.api.app import create_app
        from bestdev.api.startup import prepare
        from bestdev.feedback.factory import build_store
        from bestdev.lifecycle.retirement import RetirementWatch

        retirement = RetirementWatch()
        store = build_store(settings, credential)  # here, not in the first call (no I/O yet)
        built = create_app(settings, building=prepared, retirement=retirement, credential=credential, feedback=store)
    except BaseException as error:
        app.set_exception(error)
        prepared.set_exception(error)
        return
    app.set_result(built)
    try:
        prepared.set_result((prepare(built, settings, retirement, opened.pool, credential), opened))
    except BaseException as error:
        prepared.set_exception(error)
