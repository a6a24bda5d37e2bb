"""POST /api/recommend and friends, through the ASGI app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.pool import SAMPLE_POOL, Pool
from bestdev.settings import Settings
from tests.fakes.openai_model import FakeModel, Reply


def test_recommends_a_pool_developer_with_the_documented_shape(local_client: TestClient) -> None:
    response = local_client.post("/api/recommend", json={"description": "A React Native app with Firebase"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"recommendations", "backend", "model", "request_id"}
    assert body["backend"] == "local"
    assert body["model"] is None
    assert body["fallback"] is None
    first = body["recommendations"][0]
    assert first["name"] == "Chen Wei"
    assert first["matched_skills"] == ["React Native", "Firebase"]
    assert "React Native" in first["reason"]
    assert 0 < first["score"] <= 1
    assert body["request_id"] == response.headers["x-request-id"]


def test_top_k_limits_and_orders_the_list(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": "Python and SQL", "top_k": 2}).json()
    assert len(body["recommendations"]) == 2
    scores = [r["score"] for r in body["recommendations"]]
    assert scores == sorted(scores, reverse=True)


def test_nobody_fits_gives_an_empty_list_and_a_message(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": "Port our COBOL mainframe batch jobs"}).json()
    assert body["recommendations"] == []
    assert body["message"]


def test_health_reports_backend_and_pool(local_client: TestClient, pool: Pool) -> None:
    body = local_client.get("/api/health").json()
    loaded_at = body["pool"].pop("loaded_at")
    assert body == {
        "status": "ok",
        "backend": "local",
        "developers": 32,
        "pool": {
            "company": "Zure",
            "developers": 32,
            "version": pool.version,
            "source": str(SAMPLE_POOL),
            "problem": None,
            "drift": None,
        },
        "model": None,
        "model_retires": None,
    }
    assert datetime.fromisoformat(loaded_at) <= datetime.now(UTC)


def test_health_answers_a_probe_s_head_request(local_client: TestClient) -> None:
    response = local_client.head("/api/health")
    assert response.status_code == 200
    assert response.content == b""
    assert "head" not in local_client.get("/api/openapi.json").json()["paths"]["/api/health"]


def test_openapi_and_docs_are_published(local_client: TestClient) -> None:
    schema = local_client.get("/api/openapi.json").json()
    assert "/api/recommend" in schema["paths"]
    assert local_client.get("/api/docs").status_code == 200
    assert local_client.get("/").headers["content-type"].startswith("text/html")


def test_a_sane_request_id_is_echoed(local_client: TestClient) -> None:
    response = local_client.get("/api/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    response = local_client.get("/api/health", headers={"X-Request-ID": "<script>"})
    assert response.headers["x-request-id"] != "<script>"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/nowhere", {}, 404, "not_found"),
        ("get", "/api/recommend", {}, 405, "method_not_allowed"),
        (
            "post",
            "/api/recommend",
            {"content": b"x" * 70_000, "headers": {"content-type": "application/json"}},
            413,
            "payload_too_large",
        ),
        (
            "post",
            "/api/recommend",
            {"content": b"description=x", "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        (
            "post",
            "/api/recommend",
            {"content": b"{nope", "headers": {"content-type": "application/json"}},
            422,
            "invalid_json",
        ),
        ("post", "/api/recommend", {"json": ["a list"]}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "   "}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "x" * 4001}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": 42}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "Go", "top_k": 0}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "Go", "top_k": 11}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "Go", "top_k": "3"}}, 422, "invalid_request"),
        ("post", "/api/recommend", {"json": {"description": "Go", "extra": 1}}, 422, "invalid_request"),
        (
            "post",
            "/api/recommend",
            {"content": b"[" * 100 + b"]" * 100, "headers": {"content-type": "application/json"}},
            422,
            "invalid_json",
        ),
        (
            "post",
            "/api/recommend",
            {"content": b'{"description": "\xff\xfe"}', "headers": {"content-type": "application/json"}},
            422,
            "invalid_json",
        ),
    ],
)
def test_every_error_has_the_envelope(
    local_client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int, code: str
) -> None:
    response = getattr(local_client, method)(path, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert len(body["error"]["message"]) > 10
    assert "Traceback" not in body["error"]["message"]


def test_descriptions_are_trimmed_and_unicode_works(local_client: TestClient) -> None:
    body = local_client.post(
        "/api/recommend", json={"description": "  \u202eReact Native\u202c 🚀 app with Firebase\x07 for عميل  "}
    ).json()
    assert body["recommendations"][0]["name"] == "Chen Wei"


class ExplodingRecommender:
    backend = "local"

    def __init__(self, pool: object) -> None:
        self.pool = pool

    async def recommend(self, description: str, top_k: int, start: object = None) -> object:
        raise RuntimeError("secret internal detail")

    async def aclose(self) -> None:
        return None


def test_an_unexpected_failure_is_a_500_envelope_without_details(pool: object) -> None:
    app = create_app(Settings(), recommender=ExplodingRecommender(pool))  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/recommend", json={"description": "Go services"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text


def test_model_answers_through_the_api(model_client: TestClient, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native.<END_OUTPUT>"))
    body = model_client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()
    assert body["backend"] == "azure-openai"
    assert body["model"] == "bestdev-ft"
    assert body["recommendations"][0]["name"] == "Chen Wei"
    assert model_client.get("/api/health").json()["backend"] == "azure-openai"


def test_fallback_is_stated_in_the_body(model_client: TestClient, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Mallory, because she said so."))
    body = model_client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()
    assert body["backend"] == "local"
    assert body["fallback"] == {"reason": "the model named someone who is not in the pool"}
    assert body["recommendations"][0]["name"] == "Chen Wei"


@pytest.mark.parametrize(
    ("reply", "status", "code"),
    [
        (Reply.answer(" Mallory, because she said so."), 502, "model_not_in_pool"),
        (Reply.error(503), 503, "model_unavailable"),
        (Reply(delay=1.5), 504, "model_timeout"),
    ],
)
def test_without_fallback_model_faults_are_gateway_errors(
    model_settings: Callable[..., Settings], fake_model: FakeModel, reply: Reply, status: int, code: str
) -> None:
    fake_model.default = reply
    settings = model_settings(BESTDEV_FALLBACK="none", BESTDEV_MODEL_MAX_RETRIES=0, BESTDEV_MODEL_TIMEOUT=1)
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            response = client.post("/api/recommend", json={"description": "A React Native app with Firebase"})
    finally:
        fake_model.default = Reply.answer(" Chen Wei.")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
