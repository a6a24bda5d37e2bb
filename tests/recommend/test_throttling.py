"""Living within a throttled deployment's limits, over real HTTP with the real openai SDK and Azure's own 429s:
fail fast when the wait is longer than the request has, remember the wait across requests, tell the caller when
to come back, log each fault once, never start an attempt that cannot finish, back off a failing deployment.

Durations are bounded from above generously (slow machines); what is asserted exactly is what reaches the fake.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.model.faults import ModelFault
from bestdev.pool import Pool
from bestdev.recommend.factory import build_recommender
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.settings import Settings
from tests.fakes.azure_limits import RateWindow, api_management_429, azure_429
from tests.fakes.openai_model import FakeModel, Reply
from tests.grounding import assert_envelope

REACT_NATIVE = "A React Native app with Firebase for a coffee chain"
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"
FAST = 2.0  # failing fast on a long Retry-After means answering within this many seconds


@pytest.fixture
def api(model_settings: Callable[..., Settings], pool: Pool) -> Iterator[Callable[..., TestClient]]:
    """A started app (with the fine-tuned backend on the fake) for the given settings."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = model_settings(**overrides)
        app = create_app(settings, recommender=build_recommender(settings, pool))
        client = TestClient(app, raise_server_exceptions=False).__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


async def called(fake_model: FakeModel) -> None:
    """Until the fake has received a call (bounded: 5 s)."""
    for _ in range(500):
        if fake_model.calls:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the fake model was never called")


def fault_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage().startswith("model fault")]


def test_a_retry_after_of_a_minute_with_no_fallback_is_a_503_at_once_saying_when(
    api: Callable[..., TestClient], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    fake_model.default = azure_429(60)
    client = api(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=2, BESTDEV_REQUEST_DEADLINE=12)
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    response = client.post("/api/recommend", json={"description": REACT_NATIVE})
    elapsed = time.monotonic() - started
    assert elapsed < FAST
    assert response.status_code == 503
    assert_envelope(response.json())
    assert response.json()["error"]["code"] == "model_rate_limited"
    assert "60 s" in response.json()["error"]["message"]
    assert response.headers["retry-after"] == "60"
    assert len(fake_model.calls) == 1
    [line] = fault_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.request_id == response.headers["x-request-id"]  # type: ignore[attr-defined]
    said = line.getMessage()
    assert "rate_limited" in said
    assert "x-ratelimit-remaining-requests 0" in said
    assert "x-ratelimit-remaining-tokens 1200" in said
    assert "exceeded call rate limit" in said  # Azure's own words, for whoever reads the log


def test_with_the_local_fallback_the_reason_says_rate_limited_and_for_how_long(
    api: Callable[..., TestClient], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    fake_model.default = azure_429(60)
    client = api(BESTDEV_MODEL_MAX_RETRIES=2, BESTDEV_REQUEST_DEADLINE=12)
    caplog.set_level(logging.INFO)
    response = client.post("/api/recommend", json={"description": REACT_NATIVE})
    body = response.json()
    assert response.status_code == 200
    assert body["backend"] == "local"
    assert body["recommendations"][0]["name"] == "Chen Wei"
    assert "rate limited" in body["fallback"]["reason"]
    assert "60 s" in body["fallback"]["reason"]
    assert len(fault_lines(caplog)) == 1


@pytest.mark.parametrize(
    ("reply", "seconds"),
    [
        (azure_429(37), 37),
        (azure_429(37, headers=False), 37),  # only the body says how long
        (Reply.error(429, headers={"retry-after-ms": "30000"}), 30),
        (api_management_429(45), 45),
        (Reply.error(429, headers={"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"}), 300),  # remembered 5 min
    ],
    ids=["azure", "azure-body-only", "retry-after-ms", "api-management", "a-date-in-2099"],
)
def test_every_shape_of_a_long_429_fails_fast_and_the_next_requests_stay_away(
    api: Callable[..., TestClient], fake_model: FakeModel, reply: Reply, seconds: int
) -> None:
    fake_model.default = reply
    client = api(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=3, BESTDEV_REQUEST_DEADLINE=12)
    for _ in range(5):
        started = time.monotonic()
        response = client.post("/api/recommend", json={"description": REACT_NATIVE})
        assert time.monotonic() - started < FAST
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "model_rate_limited"
        assert 0 < int(response.headers["retry-after"]) <= seconds
    assert len(fake_model.calls) == 1  # one throttled answer keeps the other four requests away
    health = client.get("/api/health").json()
    assert health["model"]["state"] == "rate_limited"
    assert 0 < health["model"]["retry_after"] <= seconds


async def test_waits_that_fit_are_sat_out_by_this_request_and_the_next(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(azure_429(1), Reply.answer(CHEN), Reply.answer(CHEN))
    chosen = recommender(BESTDEV_MODEL_TIMEOUT=2, BESTDEV_REQUEST_DEADLINE=5)
    started = time.monotonic()
    first = asyncio.create_task(chosen.recommend(REACT_NATIVE, 1))
    await called(fake_model)
    await asyncio.sleep(0.3)  # the 429 is in: a new request meets the wait the service asked for
    second = await chosen.recommend(REACT_NATIVE, 1)
    assert (await first).backend == second.backend == "azure-openai"
    assert time.monotonic() - started >= 1.0
    assert len(fake_model.calls) == 3  # the throttled call, then one each once the second had passed


async def test_a_model_slower_than_the_attempt_timeout_gets_exactly_one_call_per_request(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.default = Reply.answer(CHEN, delay=3)
    chosen = recommender(BESTDEV_MODEL_TIMEOUT=1, BESTDEV_MODEL_MAX_RETRIES=3, BESTDEV_REQUEST_DEADLINE=1.9)
    for expected_calls in (1, 2, 3):
        outcome = await chosen.recommend(REACT_NATIVE, 1)
        assert outcome.backend == "local"
        assert outcome.fallback_reason == "the model did not answer within 1 s"
        assert len(fake_model.calls) == expected_calls
    assert chosen.model_status().state == "available"  # a slow answer is no sign of an outage


async def test_a_timed_out_attempt_is_retried_when_the_time_left_holds_a_full_one(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(CHEN, delay=3), Reply.answer(CHEN))
    # a deadline with room to spare: on a busy CI machine the first attempt ends well after 1 s
    chosen = recommender(BESTDEV_MODEL_TIMEOUT=1, BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_REQUEST_DEADLINE=4)
    outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert outcome.backend == "azure-openai"
    assert len(fake_model.calls) == 2


async def test_an_answer_trickling_in_past_the_attempt_timeout_is_one_attempt(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.default = Reply.answer(CHEN, trickle_seconds=3)
    chosen = recommender(BESTDEV_MODEL_TIMEOUT=1, BESTDEV_MODEL_MAX_RETRIES=3, BESTDEV_REQUEST_DEADLINE=1.9)
    started = time.monotonic()
    outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert time.monotonic() - started < 1.9 + 1
    assert outcome.fallback_reason == "the model did not answer within 1 s"
    assert len(fake_model.calls) == 1


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_failing_deployment_is_backed_off_then_probed_and_health_says_so(
    api: Callable[..., TestClient], fake_model: FakeModel
) -> None:
    fake_model.default = Reply.error(500)
    client = api(
        BESTDEV_MODEL_MAX_RETRIES=2,
        BESTDEV_REQUEST_DEADLINE=4,
        BESTDEV_MODEL_TIMEOUT=1,
        BESTDEV_MODEL_BREAKER_FAILURES=3,
        BESTDEV_MODEL_BREAKER_SECONDS=1,
    )
    first = client.post("/api/recommend", json={"description": REACT_NATIVE}).json()
    assert first["backend"] == "local"
    assert len(fake_model.calls) == 3  # the call and two retries: three failures in a row open the breaker
    health = client.get("/api/health").json()["model"]
    assert health["state"] == "backing_off"
    assert health["retry_after"] == 1
    assert "failed 3 times in a row" in health["reason"]
    for _ in range(3):
        skipped = client.post("/api/recommend", json={"description": REACT_NATIVE}).json()
        assert skipped["backend"] == "local"
        assert "failed 3 times in a row" in skipped["fallback"]["reason"]
        assert "not calling it for another 1 s" in skipped["fallback"]["reason"]
    assert len(fake_model.calls) == 3
    time.sleep(1.1)
    fake_model.default = Reply.answer(CHEN)
    probed = client.post("/api/recommend", json={"description": REACT_NATIVE}).json()
    assert probed["backend"] == "azure-openai"
    assert len(fake_model.calls) == 4
    assert client.get("/api/health").json()["model"] == {"state": "available", "retry_after": None, "reason": None}


def test_a_refused_connection_is_backed_off_and_the_503_says_when_to_come_back(
    api: Callable[..., TestClient], fake_model: FakeModel
) -> None:
    client = api(
        AZURE_OPENAI_ENDPOINT=refused_url(),
        BESTDEV_FALLBACK="none",
        BESTDEV_MODEL_MAX_RETRIES=0,
        BESTDEV_MODEL_BREAKER_FAILURES=2,
        BESTDEV_MODEL_BREAKER_SECONDS=30,
    )
    first = client.post("/api/recommend", json={"description": REACT_NATIVE})
    assert first.status_code == 503
    assert "retry-after" not in first.headers  # one failure: nobody knows when it will be back
    second = client.post("/api/recommend", json={"description": REACT_NATIVE})
    assert second.status_code == 503
    assert second.json()["error"]["code"] == "model_connection"
    assert second.headers["retry-after"] == "30"  # the breaker opened: it knows
    third = client.post("/api/recommend", json={"description": REACT_NATIVE})
    assert third.status_code == 503
    assert 0 < int(third.headers["retry-after"]) <= 30
    assert "not calling it for another" in third.json()["error"]["message"]


def test_a_503_with_retry_after_passes_the_wait_on(api: Callable[..., TestClient], fake_model: FakeModel) -> None:
    fake_model.default = Reply.error(503, headers={"retry-after": "20"})
    client = api(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=2, BESTDEV_REQUEST_DEADLINE=4)
    response = client.post("/api/recommend", json={"description": REACT_NATIVE})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "model_unavailable"
    assert response.headers["retry-after"] == "20"
    assert len(fake_model.calls) == 1


async def test_a_504_carries_the_wait_the_breaker_learnt_meanwhile(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(CHEN, delay=3), azure_429(60))
    chosen = recommender(BESTDEV_FALLBACK="none", BESTDEV_MODEL_TIMEOUT=1, BESTDEV_REQUEST_DEADLINE=1.5)
    slow = asyncio.create_task(chosen.recommend(REACT_NATIVE, 1))
    await called(fake_model)
    with pytest.raises(ModelFault) as throttled:
        await chosen.recommend(REACT_NATIVE, 1)
    assert throttled.value.cause == "rate_limited"
    with pytest.raises(ModelFault) as timed_out:
        await slow
    assert timed_out.value.cause == "timeout"
    assert timed_out.value.retry_after is not None
    assert 50 < timed_out.value.retry_after <= 60


async def test_the_service_saying_not_to_retry_is_obeyed(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.default = Reply.error(500, headers={"x-should-retry": "false"})
    outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=3).recommend(REACT_NATIVE, 1)
    assert outcome.backend == "local"
    assert len(fake_model.calls) == 1


async def test_a_burst_on_a_deployment_allowing_two_calls_per_ten_seconds_sends_a_handful(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    window = RateWindow(calls=2, seconds=10, answer=Reply.answer(CHEN))
    fake_model.default = window
    chosen = recommender(BESTDEV_MODEL_TIMEOUT=8, BESTDEV_MODEL_MAX_RETRIES=2, BESTDEV_REQUEST_DEADLINE=12)
    queue = list(range(50))

    async def worker() -> list[Any]:
        answered = []
        while queue:
            queue.pop()
            answered.append(await chosen.recommend(REACT_NATIVE, 1))
        return answered

    started = time.monotonic()
    outcomes = [outcome for batch in await asyncio.gather(*(worker() for _ in range(10))) for outcome in batch]
    assert time.monotonic() - started < 10  # nobody sat out the window
    assert len(outcomes) == 50
    assert sum(outcome.backend == "azure-openai" for outcome in outcomes) == 2
    assert all("rate limited" in (o.fallback_reason or "") for o in outcomes if o.backend == "local")
    assert window.received <= 12
    assert len(fake_model.calls) == window.received


async def test_max_tokens_is_the_measured_completion_length_with_a_margin(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    await recommender().recommend(REACT_NATIVE, 1)
    assert fake_model.calls[0].body["max_tokens"] == 64
