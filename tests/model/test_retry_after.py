"""Reading when the service says to come back: headers in the SDK's order, dates, and Azure's own words."""

from __future__ import annotations

import email.utils
import math
import time

import pytest

from bestdev.model.retry_after import limits, service_wait
from tests.fakes.azure_limits import azure_message


@pytest.mark.parametrize(
    ("headers", "message", "expected"),
    [
        ({"retry-after": "60"}, "", 60.0),
        ({"retry-after": "1.5"}, "", 1.5),
        ({"retry-after-ms": "2500"}, "", 2.5),
        ({"retry-after-ms": "9000", "retry-after": "10"}, "", 9.0),  # milliseconds first, as the SDK reads them
        ({"retry-after": "-3"}, "", 0.0),
        ({"retry-after": "nan", "retry-after-ms": "nan"}, "", None),
        ({}, "", None),
        ({}, azure_message(37), 37.0),
        ({}, "Rate limit is exceeded. Try again in 30 seconds.", 30.0),
        ({}, "Please retry after 1 second.", 1.0),
        ({}, "please retry after 500 milliseconds", 0.5),
        ({}, "You exceeded your quota.", None),
        ({"retry-after": "soon"}, azure_message(12), 12.0),  # a header nobody can read: the words decide
        ({"retry-after": "8"}, azure_message(86400), 8.0),  # the header wins over the words
    ],
)
def test_the_wait_the_service_asks_for(headers: dict[str, str], message: str, expected: float | None) -> None:
    assert service_wait(headers, message) == expected


def test_retry_after_as_an_http_date() -> None:
    soon = email.utils.formatdate(time.time() + 90, usegmt=True)
    wait = service_wait({"retry-after": soon})
    assert wait is not None
    assert 80 < wait <= 90
    assert service_wait({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0


def test_an_overflowing_number_is_a_very_long_wait() -> None:
    assert service_wait({"retry-after": "1e400"}) == math.inf


def test_the_rate_limit_headers_are_described_for_the_log() -> None:
    headers = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-remaining-tokens": "1200", "other": "x"}
    assert limits(headers) == "x-ratelimit-remaining-requests 0, x-ratelimit-remaining-tokens 1200"
    assert limits({}) == ""
