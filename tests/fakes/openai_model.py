"""A fake Azure OpenAI / OpenAI-compatible model server with scripted replies, built from the SDK's own types.

Serves chat completions and completions at the Azure paths (/openai/deployments/{name}/...) and the
OpenAI-compatible ones (/v1/...). Each request takes the next scripted Reply (or the default), and is recorded.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from openai.types import Completion, CompletionChoice
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Reply:
    """What the fake sends for one request."""

    text: str = ""
    finish_reason: str = "stop"
    status: int = 200
    body: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle_seconds: float = 0.0

    @classmethod
    def answer(cls, text: str, **kwargs: Any) -> Reply:
        return cls(text=text, **kwargs)

    @classmethod
    def error(cls, status: int, code: str = "error", message: str = "fake failure", **kwargs: Any) -> Reply:
        return cls(status=status, body={"error": {"code": code, "message": message}}, **kwargs)


Script = Callable[[dict[str, Any]], Reply]


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def prompt(self) -> str:
        """The template prompt the app sent, in either API form."""
        if "messages" in self.body:
            return str(self.body["messages"][-1]["content"])
        return str(self.body["prompt"])


class FakeModel:
    def __init__(self) -> None:
        self.replies: deque[Reply | Script] = deque()
        self.default: Reply | Script = Reply.answer(" Chen Wei, because they have experience with React Native.")
        self.calls: list[Call] = []
        self.app = Starlette(
            routes=[
                Route("/openai/deployments/{deployment}/chat/completions", self._chat, methods=["POST"]),
                Route("/openai/deployments/{deployment}/completions", self._completion, methods=["POST"]),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/completions", self._completion, methods=["POST"]),
            ]
        )

    def script(self, *replies: Reply | Script) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.calls.clear()

    async def _next(self, request: Request) -> tuple[Reply, dict[str, Any]]:
        body = json.loads(await request.body())
        self.calls.append(Call(request.url.path, dict(request.headers), body))
        scripted = self.replies.popleft() if self.replies else self.default
        reply = scripted(body) if callable(scripted) else scripted
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return reply, body

    async def _chat(self, request: Request) -> Response:
        reply, body = await self._next(request)
        return self._respond(reply, lambda: _chat_completion(reply, body))

    async def _completion(self, request: Request) -> Response:
        reply, body = await self._next(request)
        return self._respond(reply, lambda: _completion(reply, body))

    def _respond(self, reply: Reply, success: Callable[[], dict[str, Any]]) -> Response:
        if reply.raw is not None:
            return Response(reply.raw, status_code=reply.status, headers=reply.headers, media_type="application/json")
        if reply.status != 200:
            return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)
        payload = json.dumps(success()).encode()
        if reply.trickle_seconds:
            return StreamingResponse(_trickle(payload, reply.trickle_seconds), media_type="application/json")
        return Response(payload, headers=reply.headers, media_type="application/json")


def _stopped(text: str, body: dict[str, Any]) -> str:
    """Like a real server: the text ends before the first stop sequence."""
    for stop in body.get("stop") or []:
        text = text.split(stop, 1)[0]
    return text


def _chat_completion(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    return ChatCompletion(
        id="chatcmpl-fake",
        object="chat.completion",
        created=int(time.time()),
        model=str(body.get("model", "fake")),
        choices=[
            Choice(
                index=0,
                finish_reason=reply.finish_reason,  # type: ignore[arg-type]
                message=ChatCompletionMessage(role="assistant", content=_stopped(reply.text, body)),
            )
        ],
    ).model_dump(mode="json")


def _completion(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    return Completion(
        id="cmpl-fake",
        object="text_completion",
        created=int(time.time()),
        model=str(body.get("model", "fake")),
        choices=[
            CompletionChoice(
                index=0,
                finish_reason=reply.finish_reason,  # type: ignore[arg-type]
                text=_stopped(reply.text, body),
            )
        ],
    ).model_dump(mode="json")


async def _trickle(payload: bytes, seconds: float) -> AsyncIterator[bytes]:
    step = max(1, len(payload) // 20)
    for start in range(0, len(payload), step):
        yield payload[start : start + step]
        await asyncio.sleep(seconds / 20)
