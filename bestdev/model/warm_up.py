"""A copy of the model client that answers in memory, for the warm-up before serving (FineTunedModel.warm_up).

A first call through the openai SDK imports the resource's modules, builds its response types and caches the
request types' hints, and a keyless client fetches its first token: work that would otherwise land on the first
request. The warm-up makes one call through a copy of the client whose transport answers in memory: no network,
no model; the credential is the client's own, so the token it fetches is the one later calls use.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx2
from openai import AsyncOpenAI

WARM_UP_URL = "http://warm-up.invalid/openai/"

_CANNED: dict[str, dict[str, Any]] = {
    "chat": {
        "id": "rehearsal",
        "object": "chat.completion",
        "created": 0,
        "model": "rehearsal",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": " warm"}}],
    },
    "completions": {
        "id": "rehearsal",
        "object": "text_completion",
        "created": 0,
        "model": "rehearsal",
        "choices": [{"index": 0, "finish_reason": "stop", "text": " warm", "logprobs": None}],
    },
}


def stand_in_client(client: AsyncOpenAI, api: Literal["chat", "completions"]) -> AsyncOpenAI:
    """A copy of `client` whose HTTP transport answers every request with a canned completion, at a base URL that
    says what it is, so the HTTP client's own log line cannot be taken for a call to the model."""
    answer = _CANNED[api]
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=answer))
    http_client = httpx2.AsyncClient(transport=transport)
    return client.with_options(base_url=WARM_UP_URL, http_client=http_client, max_retries=0)
