"""A request id for every request: taken from X-Request-ID when sane, sent back, and in every log line."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def install_request_id_in_logs() -> None:
    """Give every log record a `request_id` attribute (idempotent; covers handlers added later)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "adds_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        record.request_id = request_id.get()
        return record

    factory.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def tag_host_log_lines() -> None:
    """Prefix '[request id] ' to the lines of root handlers that have no format of their own.

    The Azure Functions Python worker forwards `handler.format(record)` of each record to the host, which drops
    the record's attributes: with this, each trace in Application Insights starts with its request id.
    Handlers that already format (like `bestdev serve`'s) are left as they are.
    """
    install_request_id_in_logs()
    for handler in logging.getLogger().handlers:
        if handler.formatter is None:
            handler.setFormatter(logging.Formatter("[%(request_id)s] %(message)s"))


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, REQUEST_ID_HEADER.encode())
        current = given if given and _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        scope.setdefault("state", {})["request_id"] = current

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), current.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None
