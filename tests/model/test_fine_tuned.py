"""The model client's contract, exactly: what it sends, and which fault (cause and message) each failure becomes.

Real openai SDK -> real HTTP -> the fake model on 127.0.0.1. The messages are pinned: they reach users as the
reason for a fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from bestdev import template
from bestdev.model import fine_tuned
from bestdev.model.breaker import ModelStatus
from bestdev.model.client import build_client
from bestdev.model.faults import ModelFault
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.settings import Settings
from tests.fakes.credential import FakeCredential
from tests.fakes.openai_model import FakeModel, Reply

PROMPT = template.prompt("Zure", "A React Native app with Firebase")
CHEN = " Chen Wei, because they have experience with React Native and Firebase."
MALFORMED = "the model service sent a malformed response"

Build = Callable[..., FineTunedModel]


@pytest.fixture
async def build(model_settings: Callable[..., Settings]) -> AsyncIterator[Build]:
    """FineTunedModel on the app's own client, no retries unless asked; closed after the test."""
    made: list[FineTunedModel] = []

    def make(credential: Any = None, **overrides: Any) -> FineTunedModel:
        settings = model_settings(**{"BESTDEV_MODEL_MAX_RETRIES": 0, **overrides})
        model = FineTunedModel(build_client(settings, credential), settings)
        made.append(model)
        return model

    yield make
    for model in made:
        await model.aclose()


async def fault_of(model: FineTunedModel) -> ModelFault:
    with pytest.raises(ModelFault) as caught:
        await model.complete(PROMPT)
    return caught.value


def raw(status: int, payload: Any, content_type: str = "application/json") -> Reply:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return Reply(status=status, raw=body, headers={"content-type": content_type})


def chat_body(choices: Any) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": choices}


# --- what reaches the model -------------------------------------------------------------------------------------------


async def test_the_chat_request_carries_the_configured_parameters(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_MAX_TOKENS=77)
    assert await model.complete(PROMPT) == CHEN
    (call,) = fake_model.calls
    assert call.path == "/openai/deployments/bestdev-ft/chat/completions"
    assert call.body == {
        "model": "bestdev-ft",
        "messages": template.chat_messages(PROMPT),
        "stop": ["<END_OUTPUT>"],
        "temperature": 0,
        "max_tokens": 77,
    }


async def test_the_completions_request_carries_the_configured_parameters(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_API="completions", BESTDEV_MODEL_MAX_TOKENS=300)
    assert await model.complete(PROMPT) == CHEN
    (call,) = fake_model.calls
    assert call.path == "/openai/deployments/bestdev-ft/completions"
    assert call.body == {
        "model": "bestdev-ft",
        "prompt": PROMPT,
        "stop": ["<END_OUTPUT>"],
        "temperature": 0,
        "max_tokens": 300,
    }


async def test_a_model_without_a_deployment_is_refused(model_settings: Callable[..., Settings]) -> None:
    """Settings validation already demands one; the model checks again for settings made another way."""
    settings = model_settings().model_copy(update={"azure_openai_deployment": ""})
    client = build_client(settings)
    with pytest.raises(ValueError, match=r"^AZURE_OPENAI_DEPLOYMENT is not set$"):
        FineTunedModel(client, settings)
    await client.close()


async def test_closing_the_model_closes_its_client(build: Build) -> None:
    model = build()
    await model.aclose()
    assert model.client.is_closed()


# --- each failure, its fault ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "cause", "message"),
    [
        (Reply.error(500), "unavailable", "the model service failed (500)"),
        (Reply.error(503), "unavailable", "the model service failed (503)"),
        (Reply.error(429), "rate_limited", "the model is rate limited (429)"),
        (
            Reply.error(429, headers={"retry-after": "2"}),
            "rate_limited",
            "the model is rate limited (429): the service asked to wait 2 s",
        ),
        (Reply.error(408), "rejected", "the model service refused the request (408)"),
        (Reply.error(400, code="content_filter"), "content_filter", "the model's content filter refused the request"),
        (
            raw(400, {"error": {"error": {"code": "content_filter", "message": "wrapped by a gateway"}}}),
            "content_filter",
            "the model's content filter refused the request",
        ),
        (
            Reply.error(400, code="context_length_exceeded"),
            "rejected",
            "the model service refused the request (400)",
        ),
        (raw(400, {"error": {"error": "content_filter"}}), "rejected", "the model service refused the request (400)"),
        (Reply.error(403, code="content_filter"), "rejected", "the model service refused the request (403)"),
        (Reply.error(401, message="bad key"), "rejected", "the model service refused the request (401)"),
        (raw(404, b"Not Found", "text/plain"), "rejected", "the model service refused the request (404)"),
        (
            raw(403, b"<html><body><h1>403 Forbidden</h1></body></html>", "text/html"),
            "rejected",
            "the model service refused the request (403)",
        ),
        (raw(404, {"detail": "no such deployment"}), "rejected", "the model service refused the request (404)"),
    ],
    ids=[
        "500",
        "503",
        "429",
        "429-wait",
        "408",
        "content-filter",
        "content-filter-wrapped",
        "context-length",
        "error-is-a-string",
        "403-content-filter-code",
        "401",
        "plain-404",
        "html-403",
        "404-without-code",
    ],
)
async def test_an_error_status_is_a_fault_with_its_cause_and_message(
    build: Build, fake_model: FakeModel, reply: Reply, cause: str, message: str
) -> None:
    fake_model.script(reply)
    fault = await fault_of(build())
    assert (fault.cause, fault.message) == (cause, message)


@pytest.mark.parametrize(
    ("reply", "cause", "message"),
    [
        (Reply.answer(""), "empty", "the model gave an empty answer"),
        (Reply.answer(" \n "), "empty", "the model gave an empty answer"),
        (raw(200, chat_body([])), "empty", "the model gave no choices"),
        (
            raw(200, chat_body([{"index": 0, "finish_reason": "stop", "message": {"role": "assistant"}}])),
            "empty",
            "the model gave an empty answer",
        ),
        (
            Reply.answer(CHEN, finish_reason="content_filter"),
            "content_filter",
            "the model's content filter withheld the answer",
        ),
        (raw(200, chat_body("no")), "unparsable", MALFORMED),  # AttributeError
        (raw(200, chat_body({"0": {"message": {"content": CHEN}}})), "unparsable", MALFORMED),  # LookupError
        (raw(200, chat_body(5)), "unparsable", MALFORMED),  # TypeError
        (raw(200, b'{"choices": [{"message": {"content": " Chen'), "unparsable", MALFORMED),  # ValueError
        (
            raw(200, chat_body([{"index": 0, "finish_reason": "stop", "message": {"content": 5}}])),
            "unparsable",
            MALFORMED,
        ),
    ],
    ids=[
        "empty",
        "blank",
        "no-choices",
        "no-content",
        "filtered",
        "choices-a-string",
        "choices-a-dict",
        "choices-a-number",
        "truncated",
        "content-a-number",
    ],
)
async def test_an_unusable_answer_is_a_fault_with_its_cause_and_message(
    build: Build, fake_model: FakeModel, reply: Reply, cause: str, message: str
) -> None:
    fake_model.script(reply)
    fault = await fault_of(build())
    assert (fault.cause, fault.message) == (cause, message)


async def test_a_completions_answer_without_text_is_empty(build: Build, fake_model: FakeModel) -> None:
    choice = {"index": 0, "finish_reason": "stop", "text": None, "logprobs": None}
    fake_model.script(
        raw(200, {"id": "x", "object": "text_completion", "created": 1, "model": "m", "choices": [choice]})
    )
    fault = await fault_of(build(BESTDEV_MODEL_API="completions"))
    assert (fault.cause, fault.message) == ("empty", "the model gave an empty answer")


async def test_a_response_the_sdk_cannot_validate_is_unparsable(
    model_settings: Callable[..., Settings], fake_model: FakeModel
) -> None:
    """With strict response validation the SDK raises APIResponseValidationError for a wrong shape."""
    settings = model_settings(BESTDEV_MODEL_MAX_RETRIES=0)
    model = FineTunedModel(build_client(settings).with_options(), settings)
    model.client._strict_response_validation = True
    fake_model.script(raw(200, chat_body("no")))
    try:
        fault = await fault_of(model)
    finally:
        await model.aclose()
    assert (fault.cause, fault.message) == ("unparsable", MALFORMED)


async def test_the_total_deadline_is_a_timeout_naming_it(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(CHEN, delay=2))
    fault = await fault_of(build(BESTDEV_REQUEST_DEADLINE=0.3, BESTDEV_MODEL_TIMEOUT=1.5))
    assert (fault.cause, fault.message) == ("timeout", "the model did not answer within 0.3 s")


async def test_the_attempt_timeout_is_a_timeout_naming_it(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(CHEN, delay=2))
    fault = await fault_of(build(BESTDEV_REQUEST_DEADLINE=5, BESTDEV_MODEL_TIMEOUT=0.4))
    assert (fault.cause, fault.message) == ("timeout", "the model did not answer within 0.4 s")


async def test_a_refused_connection_is_a_connection_fault(build: Build) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fault = await fault_of(build(AZURE_OPENAI_ENDPOINT=f"http://127.0.0.1:{port}"))
    assert (fault.cause, fault.message) == ("connection", "the model endpoint could not be reached")


async def test_a_failing_credential_is_a_credential_fault_saying_why(build: Build, fake_model: FakeModel) -> None:
    fault = await fault_of(build(FakeCredential(fail=True), AZURE_OPENAI_API_KEY=""))
    assert (fault.cause, fault.message) == ("credential", "could not get a token for Azure OpenAI (RuntimeError)")
    assert fake_model.calls == []


# --- what the log gets, and which failures are worth another call --------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "detail", "retry_after"),
    [
        (Reply.error(500, message="boom"), "500 from the service; it said: 'boom'; 1 call", None),
        (
            Reply.error(
                429,
                message="Requests have exceeded the limit",
                headers={"retry-after": "2", "x-ratelimit-remaining-requests": "0"},
            ),
            "429 from the service; asked to wait 2 s; x-ratelimit-remaining-requests 0; "
            "it said: 'Requests have exceeded the limit'; 1 call",
            2.0,
        ),
        (
            Reply.error(503, message="busy", headers={"retry-after": "1.5"}),
            "503 from the service; asked to wait 1.5 s; it said: 'busy'; 1 call",
            1.5,
        ),
        (
            raw(404, {"message": "Resource not found"}),
            "404 from the service; it said: 'Resource not found'; 1 call",
            None,
        ),
        (
            raw(404, {"error": {"code": "DeploymentNotFound"}}),
            "404 from the service; it said: 'Error code: 404'; 1 call",
            None,
        ),
        (raw(403, {"error": "denied"}), "403 from the service; it said: 'Error code: 403'; 1 call", None),
        (raw(400, {"message": 5}), "400 from the service; it said: 'Error code: 400'; 1 call", None),
        (raw(401, b"[]"), "401 from the service; it said: 'Error code: 401'; 1 call", None),
        (Reply.error(401, message="x" * 400), f"401 from the service; it said: '{'x' * 300}'; 1 call", None),
        (
            raw(404, {"error": {"error": {"message": "wrapped twice"}}}),
            "404 from the service; it said: 'wrapped twice'; 1 call",
            None,
        ),
        (
            Reply.error(429, message="Rate limit reached. Please retry after 3 seconds."),
            "429 from the service; asked to wait 3 s; "
            "it said: 'Rate limit reached. Please retry after 3 seconds.'; 1 call",
            3.0,
        ),
        (
            Reply.error(400, code="content_filter", message="filtered"),
            "400 from the service; it said: 'filtered'; 1 call",
            None,
        ),
        (
            Reply.error(408, message="slow", headers={"retry-after": "2"}),
            "408 from the service; asked to wait 2 s; it said: 'slow'; 1 call",
            2.0,
        ),
        (  # a refusal that no retry cures: its wait is not passed on
            Reply.error(401, message="no", headers={"retry-after": "2"}),
            "401 from the service; asked to wait 2 s; it said: 'no'; 1 call",
            None,
        ),
    ],
    ids=[
        "500",
        "429-limits",
        "503-wait",
        "apim-message",
        "no-message",
        "error-a-string",
        "message-a-number",
        "list",
        "long",
        "wrapped-twice",
        "wait-in-words",
        "content-filter",
        "408-wait",
        "401-wait",
    ],
)
async def test_a_failure_tells_the_log_what_the_service_said(
    build: Build, fake_model: FakeModel, reply: Reply, detail: str, retry_after: float | None
) -> None:
    fake_model.script(reply)
    fault = await fault_of(build())
    assert fault.detail == detail  # without a message of its own, the SDK's words for the status
    assert fault.retry_after == retry_after


@pytest.mark.parametrize(
    ("reply", "calls"),
    [
        (Reply.error(500), 2),
        (Reply.error(503), 2),
        (Reply.error(429), 2),
        (Reply.error(408), 2),
        (Reply.error(409), 2),
        (Reply.error(400, code="context_length_exceeded"), 1),
        (Reply.error(400, code="content_filter"), 1),
        (Reply.error(401), 1),
        (Reply.error(404), 1),
        (Reply.error(500, headers={"x-should-retry": "false"}), 1),
        (Reply.error(401, headers={"x-should-retry": "true"}), 2),
        (Reply.answer(""), 1),
        (raw(200, chat_body("no")), 1),
    ],
    ids=[
        "500",
        "503",
        "429",
        "408",
        "409",
        "400",
        "content-filter",
        "401",
        "404",
        "500-should-not-retry",
        "401-should-retry",
        "empty",
        "malformed",
    ],
)
async def test_only_failures_another_call_may_cure_are_retried(
    build: Build, fake_model: FakeModel, reply: Reply, calls: int
) -> None:
    fake_model.script(reply, Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_MODEL_TIMEOUT=2, BESTDEV_REQUEST_DEADLINE=4)
    if calls == 2:
        assert await model.complete(PROMPT) == CHEN
    else:
        await fault_of(model)
    assert len(fake_model.calls) == calls


# --- what each failure tells the breaker ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("between", "state"),
    [
        (Reply.answer(CHEN), "available"),
        (Reply.error(401), "available"),
        (Reply.error(400, code="content_filter"), "available"),
        (Reply.error(400, code="context_length_exceeded"), "available"),
        (Reply.answer(""), "available"),
        (Reply.answer(CHEN, finish_reason="content_filter"), "available"),
        (raw(200, chat_body("no")), "available"),
        (raw(200, chat_body([{"index": 0, "finish_reason": "stop", "message": {"content": 5}}])), "available"),
        (Reply.error(500), "backing_off"),
        (Reply.error(503), "backing_off"),
    ],
    ids=[
        "answer",
        "401",
        "content-filter",
        "400",
        "empty",
        "filtered",
        "malformed",
        "content-a-number",
        "500",
        "503",
    ],
)
async def test_any_answer_from_the_service_shows_it_is_up_and_5xx_show_it_failing(
    build: Build, fake_model: FakeModel, between: Reply, state: str
) -> None:
    """Two failures in a row open the breaker; an answer of any kind (even a refusal) in between resets it."""
    model = build(BESTDEV_MODEL_BREAKER_FAILURES=2)
    fake_model.script(Reply.error(500), between, Reply.error(500))
    for _ in range(3):
        with contextlib.suppress(ModelFault):
            await model.complete(PROMPT)
    assert model.status().state == state


def refused_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


async def test_a_refused_connection_is_retried(build: Build) -> None:
    model = build(AZURE_OPENAI_ENDPOINT=refused_endpoint(), BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_REQUEST_DEADLINE=5)
    fault = await fault_of(model)
    assert (fault.cause, fault.message) == ("connection", "the model endpoint could not be reached (2 attempts)")
    assert fault.detail == "2 calls"


async def test_a_refused_connection_counts_as_the_service_failing(build: Build) -> None:
    model = build(AZURE_OPENAI_ENDPOINT=refused_endpoint(), BESTDEV_MODEL_BREAKER_FAILURES=1)
    await fault_of(model)
    assert model.status().state == "backing_off"


async def test_a_timed_out_attempt_is_retried(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(CHEN, delay=2), Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_MODEL_TIMEOUT=0.5, BESTDEV_REQUEST_DEADLINE=4)
    assert await model.complete(PROMPT) == CHEN
    assert len(fake_model.calls) == 2


async def test_retries_are_counted_here_not_multiplied_by_the_sdk(build: Build, fake_model: FakeModel) -> None:
    """The client is configured with retries; the model makes them itself, so each one is exactly one call."""
    fake_model.script(Reply.error(500), Reply.error(500), Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_MODEL_TIMEOUT=2, BESTDEV_REQUEST_DEADLINE=6)
    fault = await fault_of(model)
    assert (fault.cause, fault.message) == ("unavailable", "the model service failed (500) (2 attempts)")
    assert len(fake_model.calls) == 2


async def test_a_timeout_the_sdk_raises_itself_is_a_timeout_not_a_connection_failure(
    model_settings: Callable[..., Settings], fake_model: FakeModel
) -> None:
    """The client and the attempt share one timeout, so either may fire first; here the client's is shorter."""
    client = build_client(model_settings(BESTDEV_MODEL_TIMEOUT=0.3, BESTDEV_MODEL_MAX_RETRIES=0))
    model = FineTunedModel(client, model_settings(BESTDEV_MODEL_TIMEOUT=3, BESTDEV_MODEL_MAX_RETRIES=0))
    fake_model.script(Reply.answer(CHEN, delay=2))
    try:
        fault = await fault_of(model)
    finally:
        await model.aclose()
    assert (fault.cause, fault.message) == ("timeout", "the model did not answer within 3 s")


# --- when to call again: the backoff, the service's waits, the breaker's probe ----------------------------------------


async def test_without_a_service_wait_the_backoff_is_half_a_second_doubling_less_up_to_a_quarter(
    build: Build, fake_model: FakeModel, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fine_tuned, "random", SimpleNamespace(random=lambda: 0.5))  # the jitter: an eighth off
    caplog.set_level(logging.DEBUG, logger=fine_tuned.__name__)
    fake_model.script(Reply.error(500), Reply.error(500), Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_MAX_RETRIES=2, BESTDEV_MODEL_TIMEOUT=2, BESTDEV_REQUEST_DEADLINE=10)
    started = time.monotonic()
    assert await model.complete(PROMPT) == CHEN
    assert time.monotonic() - started >= 0.4375 + 0.875  # the waits are sat out (a busy machine only adds to it)
    said = [record.getMessage() for record in caplog.records if record.getMessage().startswith("retrying")]
    assert said == ["retrying in 0.44 s after unavailable", "retrying in 0.88 s after unavailable"]
    assert len(fake_model.calls) == 3


async def test_a_short_wait_the_service_asked_for_is_sat_out_by_the_next_request_without_holding_up_others(
    build: Build, fake_model: FakeModel
) -> None:
    fake_model.script(Reply.error(429, headers={"retry-after-ms": "1500"}), Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_TIMEOUT=2, BESTDEV_REQUEST_DEADLINE=5)
    assert (await fault_of(model)).cause == "rate_limited"
    asked = time.monotonic()
    waiting = asyncio.create_task(model.complete(PROMPT))
    await asyncio.sleep(0.05)  # meanwhile the event loop serves everyone else
    assert time.monotonic() - asked < 1.0
    assert await waiting == CHEN
    assert time.monotonic() - asked >= 1.4  # not called before the 1.5 s were over
    assert len(fake_model.calls) == 2


async def test_a_429_that_names_no_wait_keeps_nobody_away(build: Build, fake_model: FakeModel) -> None:
    fake_model.script(Reply.error(429), Reply.answer(CHEN))
    model = build()
    assert (await fault_of(model)).cause == "rate_limited"
    assert model.status() == ModelStatus("available")
    assert await model.complete(PROMPT) == CHEN


@pytest.mark.parametrize(
    ("retry_after", "message", "retry_after_seconds"),
    [
        ("60", "the model is rate limited (429): the service asked to wait 60 s, longer than this request can", 60),
        (
            "1e999",  # a number too large to be a float: remembered for the longest pause
            "the model is rate limited (429): the service asked to wait without end, longer than this request can",
            300,
        ),
    ],
    ids=["a-minute", "without-end"],
)
async def test_a_wait_longer_than_the_request_can_sit_out_is_said_so(
    build: Build, fake_model: FakeModel, retry_after: str, message: str, retry_after_seconds: float
) -> None:
    fake_model.script(Reply.error(429, headers={"retry-after": retry_after}))
    fault = await fault_of(build(BESTDEV_MODEL_MAX_RETRIES=2))
    assert (fault.cause, fault.message) == ("rate_limited", message)
    assert fault.retry_after is not None
    assert retry_after_seconds - 5 < fault.retry_after <= retry_after_seconds
    assert len(fake_model.calls) == 1


async def test_a_failed_probe_doubles_the_pause_and_the_probe_after_it_goes_out(
    build: Build, fake_model: FakeModel
) -> None:
    """Durations have room on both sides: the pauses are 1 s, then 2 s, and the checks fall well inside them."""
    fake_model.script(Reply.error(500), Reply.error(500), Reply.answer(CHEN))
    model = build(BESTDEV_MODEL_BREAKER_FAILURES=1, BESTDEV_MODEL_BREAKER_SECONDS=1, BESTDEV_REQUEST_DEADLINE=4)
    assert (await fault_of(model)).cause == "unavailable"  # the breaker opens for 1 s
    await asyncio.sleep(1.2)
    assert (await fault_of(model)).cause == "unavailable"  # the probe fails: closed for 2 s now
    failed_probe = time.monotonic()
    await asyncio.sleep(1.2)
    refused = await fault_of(model)
    assert "not calling it for another" in refused.message
    assert len(fake_model.calls) == 2
    await asyncio.sleep(max(0.0, 2.2 - (time.monotonic() - failed_probe)))
    assert await model.complete(PROMPT) == CHEN  # this request probes, and the breaker closes
    assert len(fake_model.calls) == 3
    assert model.status() == ModelStatus("available")
