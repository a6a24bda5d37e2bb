"""POST /api/feedback through the app, on the default SQLite store: every outcome, with the error envelope."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.feedback.errors import StoreUnavailable
from bestdev.feedback.records import Answer, description_hash
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.settings import load_settings

DESCRIPTION = "A React Native app with Firebase for a coffee chain"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "feedback.sqlite3")
    yield store
    store.close()


@pytest.fixture
def client(store: SqliteStore) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(), feedback=store), raise_server_exceptions=False) as client:
        yield client


def recommend(client: TestClient, description: str = DESCRIPTION) -> dict[str, Any]:
    response = client.post("/api/recommend", json={"description": description, "top_k": 3})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def kept(store: SqliteStore, request_id: str) -> Answer:
    """The answer, once its write (a task of its own, after the response) has landed; bounded wait."""
    deadline = time.monotonic() + 10
    while (answer := store.answer(request_id)) is None:
        assert time.monotonic() < deadline, f"the answer of {request_id} was never kept"
        time.sleep(0.01)
    return answer


def test_an_answer_is_kept_without_its_description(client: TestClient, store: SqliteStore) -> None:
    body = recommend(client)
    answer = kept(store, body["request_id"])
    assert answer.description_hash == description_hash(DESCRIPTION)
    assert answer.names == tuple(item["name"] for item in body["recommendations"])
    assert answer.backend == "local"
    assert DESCRIPTION.encode() not in store.path.read_bytes()


def test_a_good_pick_is_saved_with_201_and_an_id(client: TestClient, store: SqliteStore) -> None:
    body = recommend(client)
    first = body["recommendations"][0]["name"]
    response = client.post(
        "/api/feedback",
        json={"request_id": body["request_id"], "description": DESCRIPTION, "developer": first, "verdict": "good"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["developer"] == first
    assert created["verdict"] == "good"
    [decision] = list(store.decisions())
    assert decision.id == created["id"]
    assert decision.description == DESCRIPTION
    assert decision.answered == tuple(item["name"] for item in body["recommendations"])


def test_chosen_may_name_someone_outside_the_answer(client: TestClient, store: SqliteStore) -> None:
    body = recommend(client)
    answered = {item["name"] for item in body["recommendations"]}
    other = next(d["name"] for d in client.get("/api/pool").json()["developers"] if d["name"] not in answered)
    payload = {"request_id": body["request_id"], "description": DESCRIPTION, "developer": other}
    assert (
        client.post("/api/feedback", json={**payload, "verdict": "chosen", "note": "knows the customer"}).status_code
        == 201
    )
    assert client.post("/api/feedback", json={**payload, "verdict": "good"}).status_code == 422
    [decision] = list(store.decisions())
    assert (decision.developer, decision.verdict, decision.note) == (other, "chosen", "knows the customer")


def test_sending_again_replaces_the_verdict_under_the_same_id(client: TestClient, store: SqliteStore) -> None:
    body = recommend(client)
    first = body["recommendations"][0]["name"]
    payload = {"request_id": body["request_id"], "description": DESCRIPTION, "developer": first}
    one = client.post("/api/feedback", json={**payload, "verdict": "good"}).json()
    two = client.post("/api/feedback", json={**payload, "verdict": "wrong"}).json()
    assert one["id"] == two["id"]
    assert [d.verdict for d in store.decisions()] == ["wrong"]


def test_the_pool_spelling_of_the_name_is_kept(client: TestClient, store: SqliteStore) -> None:
    body = recommend(client)
    first = body["recommendations"][0]["name"]
    payload = {"request_id": body["request_id"], "description": DESCRIPTION, "developer": f"  {first.upper()} "}
    assert client.post("/api/feedback", json={**payload, "verdict": "good"}).json()["developer"] == first


def error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message
    return message


def test_unknown_request_id_is_404(client: TestClient) -> None:
    response = client.post(
        "/api/feedback",
        json={"request_id": "nope", "description": DESCRIPTION, "developer": "Chen Wei", "verdict": "chosen"},
    )
    assert "nope" in error(response, 404, "unknown_request")


def test_expired_answer_is_404(client: TestClient, store: SqliteStore) -> None:
    old = datetime.now(UTC) - timedelta(days=31)
    store.remember(Answer("old-one", description_hash(DESCRIPTION), ("Chen Wei",), "local", old))
    response = client.post(
        "/api/feedback",
        json={"request_id": "old-one", "description": DESCRIPTION, "developer": "Chen Wei", "verdict": "good"},
    )
    assert "30 days" in error(response, 404, "unknown_request")


def test_another_description_is_409_and_never_echoed(client: TestClient) -> None:
    body = recommend(client)
    other = "A Django shop with PostgreSQL"
    response = client.post(
        "/api/feedback",
        json={"request_id": body["request_id"], "description": other, "developer": "Chen Wei", "verdict": "chosen"},
    )
    assert other not in error(response, 409, "description_mismatch")


def test_whitespace_around_the_description_still_matches(client: TestClient) -> None:
    body = recommend(client)
    first = body["recommendations"][0]["name"]
    payload = {"request_id": body["request_id"], "description": f"  {DESCRIPTION}\n", "developer": first}
    assert client.post("/api/feedback", json={**payload, "verdict": "good"}).status_code == 201


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"developer": "Nobody Atall"}, "not in the pool"),
        ({"verdict": "maybe"}, "verdict"),
        ({"request_id": "has spaces/and slashes"}, "request_id"),
        ({"note": "x" * 1001}, "note"),
        ({"surprise": 1}, "request_id, description, developer, verdict and note"),
        ({"description": "   "}, "description"),
    ],
)
def test_bad_feedback_is_422_with_the_envelope(client: TestClient, change: dict[str, Any], needle: str) -> None:
    body = recommend(client)
    payload = {
        "request_id": body["request_id"],
        "description": DESCRIPTION,
        "developer": "Chen Wei",
        "verdict": "chosen",
    }
    assert needle in error(client.post("/api/feedback", json={**payload, **change}), 422, "invalid_request")


def test_missing_fields_are_422(client: TestClient) -> None:
    message = error(client.post("/api/feedback", json={}), 422, "invalid_request")
    assert "request_id" in message
    assert "verdict" in message


class BrokenStore(SqliteStore):
    def _run(self, sql: str, parameters: tuple[object, ...] = ()) -> Any:
        raise StoreUnavailable("the feedback database is down (test)")


def test_a_store_that_is_down_is_503_for_feedback_and_never_for_recommend(tmp_path: Path) -> None:
    broken = BrokenStore(tmp_path / "down.sqlite3")
    with TestClient(create_app(load_settings(), feedback=broken), raise_server_exceptions=False) as client:
        body = recommend(client)
        assert body["recommendations"]
        response = client.post(
            "/api/feedback",
            json={
                "request_id": body["request_id"],
                "description": DESCRIPTION,
                "developer": "Chen Wei",
                "verdict": "good",
            },
        )
        error(response, 503, "feedback_store_unavailable")


def test_an_unwritable_database_path_is_503(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings = load_settings(BESTDEV_FEEDBACK_STORE=f"sqlite:///{blocker}/feedback.sqlite3")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        body = recommend(client)
        response = client.post(
            "/api/feedback",
            json={
                "request_id": body["request_id"],
                "description": DESCRIPTION,
                "developer": "Chen Wei",
                "verdict": "good",
            },
        )
        error(response, 503, "feedback_store_unavailable")


def test_the_description_is_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    body = recommend(client)
    client.post(
        "/api/feedback",
        json={
            "request_id": body["request_id"],
            "description": DESCRIPTION,
            "developer": "Chen Wei",
            "verdict": "chosen",
        },
    )
    assert "coffee chain" not in caplog.text


def test_the_pool_lists_every_developer(client: TestClient) -> None:
    body = client.get("/api/pool").json()
    assert body["company"]
    names = [developer["name"] for developer in body["developers"]]
    assert "Chen Wei" in names
    assert len(names) == client.get("/api/health").json()["developers"]


def test_the_contract_publishes_feedback_and_its_outcomes(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    responses = schema["paths"]["/api/feedback"]["post"]["responses"]
    assert {"201", "404", "409", "422", "503"} <= set(responses)
