"""Runs a model server on loopback: in the foreground (`local-model serve`) or in a thread for the comparison."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from starlette.types import ASGIApp

from bestdev.settings import SettingsError

STARTUP_SECONDS = 30.0


def loopback(host: str) -> str:
    """The host, when it is this machine's loopback: the local model server takes no calls from elsewhere."""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise SettingsError(f"--host {host}: the local model serves on loopback only (127.0.0.1, ::1, localhost)")
    return host


def serve(app: ASGIApp, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=loopback(host), port=port, log_level="warning", access_log=False)


@contextmanager
def serving(app: ASGIApp, lifespan: Literal["on", "off"] = "off") -> Iterator[str]:
    """Serves `app` on a free loopback port in a background thread; yields its base URL, then stops it."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan=lifespan, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="local-model-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_SECONDS)
