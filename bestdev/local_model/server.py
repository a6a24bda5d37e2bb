"""The local model behind the part of the Azure OpenAI / OpenAI HTTP API BestDev calls: chat completions and
completions (Azure's /openai/deployments/{name}/... paths and the OpenAI-compatible /v1/... ones), stop
sequences, max tokens, temperature and usage. It serves on loopback only; BestDev's own client, retries, breaker
and grounding talk to it as they talk to Azure."""

from __future__ import annotations

import asyncio
import hmac
import time
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bestdev import template
from bestdev.errors import describe_validation
from bestdev.local_model.generation import Generated, Generator
from bestdev.local_model.prompting import Prompting

DEFAULT_MAX_TOKENS = 16  # the OpenAI completions API's default; chat has none, BestDev always sends one
LONGEST_ANSWER = 512


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    content: str


class _Asked(BaseModel):
    """The fields both APIs share; unknown ones (top_p, user, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")

    max_tokens: int | None = Field(None, ge=1, le=LONGEST_ANSWER)
    max_completion_tokens: int | None = Field(None, ge=1, le=LONGEST_ANSWER)
    temperature: float = Field(1.0, ge=0, le=2)
    stop: str | list[str] | None = None
    n: int = Field(1, ge=1, le=1)
    stream: bool = False

    def stops(self) -> list[str]:
        stops = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        return [stop for stop in stops if stop][:4]

    def tokens(self) -> int:
        return self.max_completion_tokens or self.max_tokens or DEFAULT_MAX_TOKENS


class _ChatAsked(_Asked):
    messages: list[_Message] = Field(min_length=1)


class _CompletionAsked(_Asked):
    prompt: str | list[str]


class ModelServer:
    """The HTTP face of one Generator under one deployment name; `api_key`, when set, is required."""

    def __init__(
        self, generator: Generator, prompting: Prompting, deployment: str = "local", api_key: str | None = None
    ) -> None:
        self.generator = generator
        self.prompting = prompting
        self.deployment = deployment
        self.api_key = api_key
        self.app = Starlette(
            routes=[
                Route("/openai/deployments/{deployment}/chat/completions", self._chat, methods=["POST"]),
                Route("/openai/deployments/{deployment}/completions", self._completion, methods=["POST"]),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/completions", self._completion, methods=["POST"]),
                Route("/health", self._health, methods=["GET"]),
            ]
        )

    async def _health(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "model": self.generator.name, "prompting": self.prompting.description})

    async def _chat(self, request: Request) -> JSONResponse:
        asked = await self._read(request, _ChatAsked)
        if isinstance(asked, JSONResponse):
            return asked
        messages = self.prompting.messages(
            [template.ChatMessage(role=message.role, content=message.content) for message in asked.messages]
        )
        generated = await self._generate(self.generator.chat, messages, asked)
        if isinstance(generated, JSONResponse):
            return generated
        message = {"role": "assistant", "content": generated.text}
        choice = {"index": 0, "finish_reason": generated.finish_reason, "message": message, "logprobs": None}
        return JSONResponse(self._response("chat.completion", "chatcmpl", choice, generated))

    async def _completion(self, request: Request) -> JSONResponse:
        asked = await self._read(request, _CompletionAsked)
        if isinstance(asked, JSONResponse):
            return asked
        prompts = [asked.prompt] if isinstance(asked.prompt, str) else asked.prompt
        if len(prompts) != 1:
            return _error(400, "invalid_request_error", "this server answers one prompt per request")
        generated = await self._generate(self.generator.complete, self.prompting.prompt(prompts[0]), asked)
        if isinstance(generated, JSONResponse):
            return generated
        choice = {"index": 0, "finish_reason": generated.finish_reason, "text": generated.text, "logprobs": None}
        return JSONResponse(self._response("text_completion", "cmpl", choice, generated))

    async def _read(self, request: Request, kind: type[_Asked]) -> Any:
        """The parsed request, or the error response Azure would give (auth, deployment, body)."""
        if self.api_key is not None and not self._authorised(request):
            return _error(401, "401", "Access denied due to invalid subscription key or wrong API endpoint.")
        deployment = request.path_params.get("deployment")
        if deployment is not None and deployment != self.deployment:
            return _error(404, "DeploymentNotFound", f"The API deployment {deployment} does not exist.")
        try:
            asked = kind.model_validate_json(await request.body())
        except ValidationError as error:
            return _error(400, "invalid_request_error", describe_validation(error, limit=3))
        if asked.stream:
            return _error(400, "invalid_request_error", "stream is not supported by this server")
        return asked

    def _authorised(self, request: Request) -> bool:
        given = request.headers.get("api-key") or request.headers.get("authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(given.encode(), (self.api_key or "").encode())

    async def _generate(self, generate: Any, prompt: Any, asked: _Asked) -> Generated | JSONResponse:
        try:
            generated: Generated = await asyncio.to_thread(
                generate, prompt, asked.tokens(), asked.stops(), asked.temperature
            )
        except (RuntimeError, ValueError) as error:  # the model itself failed: a 500 the client treats as one
            return _error(500, "server_error", f"the local model failed: {type(error).__name__}")
        return generated

    def _response(self, kind: str, prefix: str, choice: dict[str, Any], generated: Generated) -> dict[str, Any]:
        return {
            "id": f"{prefix}-{uuid.uuid4().hex}",
            "object": kind,
            "created": int(time.time()),
            "model": self.generator.name,
            "choices": [choice],
            "usage": {
                "prompt_tokens": generated.prompt_tokens,
                "completion_tokens": generated.completion_tokens,
                "total_tokens": generated.prompt_tokens + generated.completion_tokens,
            },
        }


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
