"""Logging policy: descriptions stay out of the logs unless asked for; every line of a request carries its id.

Logs are captured at DEBUG, so the SDK's and HTTP client's own records are checked too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.api.request_context import tag_host_log_lines
from bestdev.settings import Settings
from tests.fakes.openai_model import FakeModel, Reply

CONFIDENTIAL = "Project Nightjar: a React Native app with Firebase for our merger with Globex"
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"


class Recorder(logging.Handler):
    """Keeps every record, formatted as a log line would be."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    root = logging.getLogger()
    handler, level = Recorder(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def app_client(model_settings: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(model_settings(**overrides)), raise_server_exceptions=False)
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def exercise(client: TestClient, fake_model: FakeModel) -> list[Any]:
    """A model answer, a fallback, a model fault without fallback... and the responses."""
    fake_model.script(Reply.answer(CHEN), Reply.answer(" Mallory, because she said so."), Reply.error(500))
    return [
        client.post("/api/recommend", json={"description": CONFIDENTIAL}),
        client.post("/api/recommend", json={"description": CONFIDENTIAL, "top_k": 2}),
        client.post("/api/recommend", json={"description": CONFIDENTIAL, "top_k": 1}),
        client.post("/api/recommend", json={"description": CONFIDENTIAL, "top_k": 99}),
    ]


def test_the_description_never_reaches_the_logs_by_default(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    responses = exercise(app_client(BESTDEV_MODEL_MAX_RETRIES=0), fake_model)
    assert [response.status_code for response in responses] == [200, 200, 200, 422]
    assert responses[1].json()["fallback"], "the fallback path was logged too"
    assert len(recorder.lines) > 10, "the SDK and HTTP client logged at DEBUG"
    for line in recorder.lines:
        assert "Nightjar" not in line
        assert "Globex" not in line


def test_its_length_and_a_hash_are_logged_instead(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    app_client().post("/api/recommend", json={"description": CONFIDENTIAL})
    digest = hashlib.sha256(CONFIDENTIAL.encode()).hexdigest()[:12]
    assert any(f"{len(CONFIDENTIAL)} chars" in line and digest in line for line in recorder.lines)


def test_descriptions_are_logged_when_debugging_asks_for_them(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    app_client(BESTDEV_LOG_DESCRIPTIONS="true").post("/api/recommend", json={"description": CONFIDENTIAL})
    assert any("Nightjar" in line for line in recorder.lines)


@pytest.mark.parametrize("given_id", ["trace-7f3a", None])
def test_every_log_line_of_a_request_carries_its_id(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder, given_id: str | None
) -> None:
    client = app_client(BESTDEV_MODEL_MAX_RETRIES=0)
    fake_model.script(Reply.answer(" Mallory, because she said so."))  # a fallback adds warnings
    before = len(recorder.records)
    headers = {"X-Request-ID": given_id} if given_id else {}
    response = client.post("/api/recommend", json={"description": CONFIDENTIAL}, headers=headers)
    request_id = response.headers["x-request-id"]
    assert request_id == (given_id or response.json()["request_id"])
    assert response.json()["request_id"] == request_id
    # The test client's own record is logged on this thread, outside the app: leave it out.
    emitted = [record for record in recorder.records[before:] if record.threadName != "MainThread"]
    assert {record.name.split(".")[0] for record in emitted} >= {"bestdev", "openai"}
    assert any(record.levelno == logging.WARNING for record in emitted)
    for record in emitted:
        assert getattr(record, "request_id", None) == request_id, (record.name, record.getMessage())


def test_each_of_concurrent_requests_logs_its_own_id(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    """The id lives in a context variable, so interleaved requests on one event loop do not mix them up."""
    from concurrent.futures import ThreadPoolExecutor

    client = app_client()
    fake_model.default = Reply.answer(CHEN, delay=0.2)
    try:
        with ThreadPoolExecutor(4) as pool:
            ids = [f"req-{n}" for n in range(8)]
            descriptions = {request_id: f"{CONFIDENTIAL} {request_id}" for request_id in ids}
            list(
                pool.map(
                    lambda rid: client.post(
                        "/api/recommend", json={"description": descriptions[rid]}, headers={"X-Request-ID": rid}
                    ),
                    ids,
                )
            )
    finally:
        fake_model.default = Reply.answer(CHEN)
    digests = {hashlib.sha256(text.encode()).hexdigest()[:12]: rid for rid, text in descriptions.items()}
    logged = [
        record
        for record in recorder.records
        if record.name == "bestdev.api.routes"
        and record.request_id != "warm-up"  # type: ignore[attr-defined]
        and "description" in record.getMessage()
    ]
    assert len(logged) == len(ids)
    for record in logged:
        digest = next(d for d in digests if d in record.getMessage())
        assert record.request_id == digests[digest]  # type: ignore[attr-defined]


class HostHandler(logging.Handler):
    """Like the Azure Functions worker's handler: forwards `self.format(record)` and nothing else."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.threadName or "", self.format(record)))


def test_host_handlers_without_a_format_put_the_request_id_in_each_line(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    host, formatted = HostHandler(), HostHandler()
    own_format = logging.Formatter("%(levelname)s %(message)s")
    formatted.setFormatter(own_format)
    root = logging.getLogger()
    root.addHandler(host)
    root.addHandler(formatted)
    try:
        tag_host_log_lines()
        client = app_client()
        started = len(host.lines)
        client.post("/api/recommend", json={"description": CONFIDENTIAL}, headers={"X-Request-ID": "az-42"})
    finally:
        root.removeHandler(host)
        root.removeHandler(formatted)
    in_app = [line for thread, line in host.lines[started:] if thread != "MainThread"]
    assert any("recommend top_k=3" in line for line in in_app)
    assert all(line.startswith("[az-42] ") for line in in_app), in_app
    assert formatted.formatter is own_format
    assert not any("Nightjar" in line for _, line in host.lines)


def test_each_answer_logs_its_backend_and_why_it_fell_back(
    app_client: Callable[..., TestClient], fake_model: FakeModel, recorder: Recorder
) -> None:
    """The line operators count requests by backend with (docs/operate.md), and fallbacks by reason."""
    client = app_client()
    fake_model.script(Reply.answer(CHEN), Reply.error(500), Reply.error(500), Reply.error(500))
    client.post("/api/recommend", json={"description": "A React Native app with Firebase"})
    client.post("/api/recommend", json={"description": "A React Native app with Firebase"})
    answers = [
        record.getMessage()
        for record in recorder.records
        if record.getMessage().startswith("answered by ") and record.request_id != "warm-up"  # type: ignore[attr-defined]
    ]
    assert answers[0].startswith("answered by azure-openai with ")
    assert "; fallback:" not in answers[0]
    assert answers[1].startswith("answered by local with ")
    assert "; fallback: " in answers[1]
