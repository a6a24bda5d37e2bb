"""Why a model answer could not be used. Each cause has a defined outcome: fallback, or an HTTP error."""

from __future__ import annotations

from typing import Literal

from bestdev.errors import BestDevError

FaultCause = Literal[
    "timeout",
    "connection",
    "rate_limited",
    "unavailable",
    "rejected",
    "content_filter",
    "credential",
    "empty",
    "unparsable",
    "not_in_pool",
    "ungrounded",
]


class ModelFault(BestDevError):
    """The model gave no usable answer. `message` is safe to show to a user; `retry_after` is when calling the
    model again makes sense (seconds, from the service or the breaker), if known; `detail` is for the log only
    (the service's own words and rate-limit headers)."""

    def __init__(
        self, cause: FaultCause, message: str, *, retry_after: float | None = None, detail: str | None = None
    ) -> None:
        super().__init__(message)
        self.cause: FaultCause = cause
        self.message = message
        self.retry_after = retry_after
        self.detail = detail
