"""Model faults not covered in test_fine_tuned.py: Retry-After honored yet bounded, malformed shapes, and every
fault through the API with its defined outcome (a fallback with its reason, or the error envelope), in time.

Durations are only bounded from above by far more than the deadline, so slow machines cannot make them flaky;
a lower bound is asserted only where a sleep guarantees it (Retry-After is honored).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.model.faults import ModelFault
from bestdev.pool import Pool
from bestdev.recommend.factory import build_recommender
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.settings import Settings
from tests.fakes.credential import FakeCredential
from tests.fakes.openai_model import FakeModel, Reply
from tests.grounding import assert_envelope

REACT_NATIVE = "A React Native app with Firebase for a coffee chain"
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"
DEADLINE = 1.0
SLACK = 8.0  # generous: proves "not the 30 s the server asked for", never flakes on a slow machine
LONGER = DEADLINE + 3  # a slow model: past the deadline, yet done before the fake server is shut down


def raw(payload: Any) -> Reply:
    return Reply(raw=json.dumps(payload).encode())


MALFORMED = {
    "choices-is-a-string": raw({"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": "no"}),
    "choices-of-strings": raw({"id": "x", "choices": ["no"]}),
    "message-is-null": raw({"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "message": None}]}),
    "content-is-a-number": raw(
        {"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": 5}}]}
    ),
    "a-json-list": Reply(raw=b"[1, 2]"),
    "json-null": Reply(raw=b"null"),
    "html": Reply(raw=b"<html><body>502 Bad Gateway</body></html>"),
    "an-empty-body": Reply(raw=b""),
    "truncated-json": Reply(raw=b'{"id": "x", "choices": [{"index": 0, "message": {"content": " Chen'),
}


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_a_malformed_chat_response_is_a_fault_with_a_fallback(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, name: str
) -> None:
    fake_model.default = MALFORMED[name]
    try:
        outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=0).recommend(REACT_NATIVE, 3)
        assert outcome.backend == "local"
        assert outcome.fallback_reason
        assert outcome.recommendations[0].name == "Chen Wei"
        with pytest.raises(ModelFault) as caught:
            await recommender(BESTDEV_MODEL_MAX_RETRIES=0, BESTDEV_FALLBACK="none").recommend(REACT_NATIVE, 3)
        assert caught.value.cause in {"unparsable", "empty"}
    finally:
        fake_model.default = Reply.answer(CHEN)


async def test_retry_after_is_honored(recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel) -> None:
    fake_model.script(Reply.error(429, headers={"retry-after": "1"}), Reply.answer(CHEN))
    started = time.monotonic()
    outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=1, BESTDEV_REQUEST_DEADLINE=5).recommend(REACT_NATIVE, 1)
    assert outcome.backend == "azure-openai"
    assert len(fake_model.calls) == 2
    assert time.monotonic() - started >= 1.0  # it waited as asked before trying again


@pytest.mark.parametrize(
    "reply",
    [
        Reply.error(429, headers={"retry-after": "30"}),
        Reply.error(429, headers={"retry-after-ms": "30000"}),
        Reply.error(503, headers={"retry-after": "30"}),
        Reply.error(429, headers={"retry-after": "3600"}),
        Reply.error(429, headers={"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"}),
        Reply.error(408),
    ],
    ids=["429-30s", "429-30000ms", "503-30s", "429-an-hour", "429-a-date-in-2099", "408"],
)
async def test_a_retry_after_longer_than_the_deadline_never_holds_the_request_past_it(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, reply: Reply
) -> None:
    fake_model.default = reply
    try:
        chosen = recommender(BESTDEV_MODEL_MAX_RETRIES=3, BESTDEV_REQUEST_DEADLINE=DEADLINE)
        started = time.monotonic()
        outcome = await chosen.recommend(REACT_NATIVE, 1)
        elapsed = time.monotonic() - started
    finally:
        fake_model.default = Reply.answer(CHEN)
    assert outcome.backend == "local"
    assert outcome.fallback_reason
    assert elapsed < DEADLINE + SLACK
    assert 1 <= len(fake_model.calls) <= 4  # bounded retries, no hammering


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


FAULTS: list[tuple[str, Reply | None, dict[str, Any], int, str]] = [
    ("rate-limited", Reply.error(429, headers={"retry-after": "0"}), {}, 503, "model_rate_limited"),
    ("retry-after-past-deadline", Reply.error(429, headers={"retry-after": "30"}), {}, 503, "model_rate_limited"),
    ("server-error", Reply.error(500), {}, 503, "model_unavailable"),
    ("content-filter-refusal", Reply.error(400, code="content_filter"), {}, 502, "model_content_filter"),
    (
        "content-filter-finish",
        Reply.answer(" Chen Wei", finish_reason="content_filter"),
        {},
        502,
        "model_content_filter",
    ),
    ("malformed-json", Reply(raw=b"{not json"), {}, 502, "model_unparsable"),
    ("wrong-shape", MALFORMED["choices-is-a-string"], {}, 502, "model_unparsable"),
    ("trickling-body", Reply.answer(CHEN, trickle_seconds=LONGER), {}, 504, "model_timeout"),
    ("slow-answer", Reply.answer(CHEN, delay=LONGER), {}, 504, "model_timeout"),
    ("bad-key", Reply.error(401, message="bad key"), {}, 502, "model_rejected"),
    ("refused-connection", None, {"refused": True}, 503, "model_connection"),
    ("failing-credential", None, {"credential": True}, 503, "model_credential"),
]


@pytest.mark.parametrize("fallback", ["local", "none"])
@pytest.mark.parametrize(("name", "reply", "how", "status", "code"), FAULTS, ids=[fault[0] for fault in FAULTS])
def test_every_fault_through_the_api_has_its_defined_outcome_within_the_deadline(
    model_settings: Callable[..., Settings],
    fake_model: FakeModel,
    pool: Pool,
    fallback: str,
    name: str,
    reply: Reply | None,
    how: dict[str, Any],
    status: int,
    code: str,
) -> None:
    overrides: dict[str, Any] = {
        "BESTDEV_FALLBACK": fallback,
        "BESTDEV_MODEL_MAX_RETRIES": 1,
        "BESTDEV_MODEL_TIMEOUT": 5,
        "BESTDEV_REQUEST_DEADLINE": DEADLINE,
    }
    if how.get("refused"):
        overrides["AZURE_OPENAI_ENDPOINT"] = refused_url()
    if how.get("credential"):
        overrides["AZURE_OPENAI_API_KEY"] = ""
    settings = model_settings(**overrides)
    credential = FakeCredential(fail=True) if how.get("credential") else None
    if reply is not None:
        fake_model.default = reply
    try:
        app = create_app(settings, recommender=build_recommender(settings, pool, credential=credential))
        with TestClient(app, raise_server_exceptions=False) as client:
            started = time.monotonic()
            response = client.post("/api/recommend", json={"description": REACT_NATIVE})
            elapsed = time.monotonic() - started
    finally:
        fake_model.default = Reply.answer(CHEN)
    assert elapsed < DEADLINE + SLACK
    assert response.headers["x-request-id"]
    if fallback == "local":
        assert response.status_code == 200
        body = response.json()
        assert body["backend"] == "local"
        assert body["fallback"]["reason"]
        assert body["recommendations"][0]["name"] == "Chen Wei"
    else:
        assert response.status_code == status
        assert_envelope(response.json())
        assert response.json()["error"]["code"] == code
