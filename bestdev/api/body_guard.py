"""Rejects unusable request bodies before the app parses them: too large (413), not JSON (415), too deep (422).

Only requests that a route takes a body for are guarded, so a wrong method or path still gets its 405 or 404.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bestdev.api.errors import NOT_JSON, error_response

MAX_NESTING = 32
_BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyGuardMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.routes = [
            route for route in routes if isinstance(route, Route) and _BODY_METHODS & (route.methods or set())
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or not self._takes_body(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        length = headers.get(b"content-length", b"").decode("latin-1").strip()
        if length and not (length.isascii() and length.isdigit()):  # isdigit() alone takes '¹' and '²'
            await error_response(400, "bad_request", "The Content-Length header is not a number.")(scope, receive, send)
            return
        if length and int(length) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        if not _is_json(headers.get(b"content-type", b"").decode("latin-1")):
            response = error_response(
                415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json."
            )
            await response(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        problem = _unreadable(body)
        if problem:
            await error_response(422, "invalid_json", problem)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _takes_body(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] is Match.FULL for route in self.routes)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"The body is larger than {self.max_bytes} bytes; shorten the description.",
        )
        await response(scope, receive, send)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _unreadable(body: bytes) -> str | None:
    """Why the body cannot be parsed safely, or None."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "The body is not valid UTF-8: send JSON encoded as UTF-8."
    if b"\x00" in body:  # never in JSON text; it would make the parser guess UTF-16 or UTF-32
        return NOT_JSON
    if _too_deep(body):
        return f"The JSON body is nested more than {MAX_NESTING} levels deep."
    return None


def _too_deep(body: bytes) -> bool:
    """True when brackets nest deeper than MAX_NESTING outside strings (cheap unless the body has many)."""
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return False
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
