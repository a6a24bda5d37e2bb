"""Warming the model client at startup: the SDK does a first call's lazy work then, not in the first request.

A first call through the openai SDK imports the resource's modules, builds its response types and caches the
request types' hints: several milliseconds that would otherwise land on the first request. A rehearsal runs
one call through a copy of the client whose transport answers in memory (no network, no model, no credential).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from collections.abc import Coroutine
from typing import Any, Literal

import httpx2
from openai import AsyncOpenAI

log = logging.getLogger(__name__)

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
    """A copy of `client` whose HTTP transport answers every request with a canned completion. It carries a
    placeholder key instead of the client's credential, so warming up never fetches a token, and a base URL that
    says what it is, so the HTTP client's own log line cannot be taken for a call to the model."""
    answer = _CANNED[api]
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=answer))
    http_client = httpx2.AsyncClient(transport=transport)
    return client.with_options(api_key="warm-up", base_url=WARM_UP_URL, http_client=http_client, max_retries=0)


def rehearse(call: Coroutine[Any, Any, object]) -> None:
    """Runs `call` on a private event loop in a helper thread, so it works whether or not this thread is
    inside a running loop (the Functions host imports the app from within its own). A failed rehearsal
    only costs the warm-up, so it is logged, not raised."""

    def run() -> None:
        try:
            asyncio.run(call)
        except Exception as error:
            log.warning("model client warm-up failed (the first request will be slower): %r", error)

    helper = threading.Thread(target=run, name="bestdev-warm-up")
    helper.start()
    helper.join()
    # The transport's async backend is loaded on the first real connection; load it now too.
    importlib.import_module("anyio._backends._asyncio")
