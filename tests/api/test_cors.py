"""Cross-origin calls: allowed exactly for the origins in BESTDEV_CORS_ORIGINS, so the page can be hosted elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import load_settings

PAGE = "https://bestdev-page.azurestaticapps.net"
OTHER = "https://intranet.example.com"
BODY = {"description": "A React Native app with Firebase", "top_k": 1}
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, local: LocalRecommender) -> Iterator[TestClient]:
    monkeypatch.setenv("BESTDEV_CORS_ORIGINS", f" {PAGE} ,{OTHER},")
    app = create_app(load_settings(), recommender=local)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("origin", [PAGE, OTHER])
def test_preflight_from_an_allowed_origin(client: TestClient, origin: str) -> None:
    response = client.options("/api/recommend", headers={"Origin": origin, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert "x-functions-key" not in response.headers["access-control-allow-headers"].lower()
    assert "Origin" in response.headers["vary"]


def test_a_post_from_an_allowed_origin_is_answered_and_readable(client: TestClient) -> None:
    response = client.post("/api/recommend", json=BODY, headers={"Origin": PAGE})
    assert response.status_code == 200
    assert response.json()["recommendations"][0]["name"] == "Chen Wei"
    assert response.headers["access-control-allow-origin"] == PAGE
    assert response.headers["access-control-allow-credentials"] == "true"  # the page's sign-in session
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


def test_an_error_envelope_is_readable_cross_origin(client: TestClient) -> None:
    response = client.post("/api/recommend", json={"description": ""}, headers={"Origin": PAGE})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.headers["access-control-allow-origin"] == PAGE


def test_other_origins_are_not_allowed(client: TestClient) -> None:
    origin = "https://evil.example"
    preflight = client.options("/api/recommend", headers={"Origin": origin, **PREFLIGHT})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    response = client.post("/api/recommend", json=BODY, headers={"Origin": origin})
    assert "access-control-allow-origin" not in response.headers


def test_no_cross_origin_calls_without_the_setting(local_client: TestClient) -> None:
    response = local_client.post("/api/recommend", json=BODY, headers={"Origin": PAGE})
    preflight = local_client.options("/api/recommend", headers={"Origin": PAGE, **PREFLIGHT})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers
