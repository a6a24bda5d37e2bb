"""When the service says to come back, in seconds: its `retry-after-ms` or `Retry-After` header, or else the wait
its 429 message names ("... Please retry after 37 seconds.", API Management's "Try again in 30 seconds.").

The headers are read in the order the openai SDK reads them (milliseconds first); `Retry-After` may also be an
HTTP date. The rate-limit headers Azure sends alongside are only described, for the log.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Mapping

_IN_TEXT = re.compile(
    r"(?:retry after|try again in)\s+(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>milliseconds?|ms|seconds?|secs?|s)\b",
    re.IGNORECASE,
)
LIMIT_HEADERS = ("x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens")


def service_wait(headers: Mapping[str, str], message: str = "") -> float | None:
    """Seconds the service asked to wait (0 for "now" or a date in the past); None when it named no wait.

    An absurdly large number is returned as infinity: callers cap it to what they are willing to remember.
    """
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue
        if math.isnan(seconds):
            continue
        return max(0.0, seconds)
    dated = _from_date(headers.get("retry-after"))
    if dated is not None:
        return dated
    found = _IN_TEXT.search(message)
    if found is None:
        return None
    amount = float(found["amount"])
    return amount / 1000 if found["unit"].lower().startswith("m") else amount


def _from_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def limits(headers: Mapping[str, str]) -> str:
    """'x-ratelimit-remaining-requests 0, x-ratelimit-remaining-tokens 1200' (the ones present), for the log."""
    return ", ".join(f"{name} {headers[name]}" for name in LIMIT_HEADERS if name in headers)
