"""Azure OpenAI's throttling, as the service sends it: the 429 body, Retry-After, retry-after-ms and the
x-ratelimit-remaining-* headers, and a deployment that allows `calls` per `seconds` window.

The 429 wording is Azure's own ("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version
... have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after N seconds. ...").
API Management in front of a deployment answers {"statusCode": 429, "message": "Rate limit is exceeded. Try
again in N seconds."} instead.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.openai_model import Reply

API_VERSION = "2024-10-21"


def azure_message(seconds: float, limit: str = "call") -> str:
    return (
        f"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version {API_VERSION} have "
        f"exceeded {limit} rate limit of your current OpenAI S0 pricing tier. Please retry after "
        f"{math.ceil(seconds)} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to "
        "further increase the default rate limit."
    )


def azure_429(
    seconds: float,
    *,
    headers: bool = True,
    remaining_requests: int = 0,
    remaining_tokens: int = 1200,
    limit: str = "call",
) -> Reply:
    """Azure's 429: its body, and (unless `headers=False`, as some gateways strip them) retry-after in whole
    seconds, retry-after-ms, and what is left of the deployment's requests and tokens."""
    sent: dict[str, str] = {}
    if headers:
        sent = {
            "retry-after": str(math.ceil(seconds)),
            "retry-after-ms": str(round(seconds * 1000)),
            "x-ratelimit-remaining-requests": str(remaining_requests),
            "x-ratelimit-remaining-tokens": str(remaining_tokens),
        }
    body = {"error": {"code": "429", "message": azure_message(seconds, limit)}}
    return Reply(status=429, body=body, headers=sent)


def api_management_429(seconds: int) -> Reply:
    """API Management's rate-limit policy in front of a deployment: its own body, and Retry-After."""
    message = f"Rate limit is exceeded. Try again in {seconds} seconds."
    return Reply(status=429, body={"statusCode": 429, "message": message}, headers={"retry-after": str(seconds)})


class RateWindow:
    """A deployment allowing `calls` per fixed window of `seconds`: within the allowance `answer`, beyond it
    Azure's 429 asking to wait `retry_after` seconds (default: until the window ends). Counts what reaches it.
    The first window starts with the first call. Usable as the FakeModel's default reply (a Script).
    `outcomes` holds, per call, the start of its window and whether it was answered."""

    def __init__(
        self,
        calls: int,
        seconds: float,
        answer: Reply,
        retry_after: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.calls = calls
        self.seconds = seconds
        self.answer = answer
        self.retry_after = retry_after
        self.clock = clock
        self.received = 0
        self.answered = 0
        self.throttled = 0
        self._window_start: float | None = None
        self._in_window = 0
        self.outcomes: list[tuple[float, bool]] = []
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            now = self.clock()
            self.received += 1
            if self._window_start is None or now - self._window_start >= self.seconds:
                self._window_start, self._in_window = now, 0
            if self._in_window < self.calls:
                self._in_window += 1
                self.answered += 1
                self.outcomes.append((self._window_start, True))
                return self.answer
            self.throttled += 1
            self.outcomes.append((self._window_start, False))
            left = self.seconds - (now - self._window_start)
            wait = self.retry_after if self.retry_after is not None else left
            return azure_429(wait, remaining_requests=0, remaining_tokens=0)
