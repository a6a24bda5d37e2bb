"""Each error message is derived from the app: the 404 lists the app's own routes, a 422 names the fields of the
request model of the route that refused the body, states the limit that was passed, and reads as sentences."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.api.errors import routes_hint
from bestdev.api.schemas import FeedbackRequest, RecommendRequest, TeamRequest


def message(client: TestClient, path: str, body: Any) -> str:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    text: str = response.json()["error"]["message"]
    return text


def test_the_404_hint_lists_every_published_route_of_the_app(local_client: TestClient) -> None:
    text = local_client.get("/api/nowhere").json()["error"]["message"]
    assert text == (
        "Nothing at /api/nowhere. The API offers POST /api/recommend, POST /api/team, POST /api/feedback, "
        "GET /api/pool, GET /api/me and GET /api/health; see /api/docs."
    )
    published = local_client.get("/api/openapi.json").json()["paths"]
    for path, operations in published.items():
        for method in operations:
            assert f"{method.upper()} {path}" in text


def test_the_404_hint_follows_the_routes_an_app_has() -> None:
    def answer() -> dict[str, str]:
        return {}

    app = FastAPI(docs_url=None)
    app.get("/api/only")(answer)
    app.post("/api/also")(answer)
    app.get("/hidden", include_in_schema=False)(answer)
    assert routes_hint(app) == "The API offers GET /api/only and POST /api/also."


@pytest.mark.parametrize(
    ("path", "model", "body"),
    [
        ("/api/recommend", RecommendRequest, {"description": "Go", "max_size": 2}),
        ("/api/team", TeamRequest, {"description": "Go", "top_k": 2}),
        (
            "/api/feedback",
            FeedbackRequest,
            {"request_id": "r", "description": "Go", "developer": "x", "verdict": "good", "stars": 5},
        ),
    ],
)
def test_an_unknown_field_names_the_fields_of_that_route_s_request(
    local_client: TestClient, path: str, model: type, body: dict[str, object]
) -> None:
    fields = list(model.model_fields)  # type: ignore[attr-defined]
    accepted = ", ".join(fields[:-1]) + " and " + fields[-1]
    unknown = next(name for name in body if name not in fields)
    assert message(local_client, path, body) == f"{unknown}: unknown field; the accepted fields are {accepted}."


def test_the_team_route_does_not_offer_top_k(local_client: TestClient) -> None:
    text = message(local_client, "/api/team", {"description": "Go", "top_k": 2})
    assert text == "top_k: unknown field; the accepted fields are description, max_size and start."


def test_several_problems_read_as_sentences_joined_by_a_space(local_client: TestClient) -> None:
    text = message(local_client, "/api/recommend", {"text": "A Go service"})
    assert text == "description: required. text: unknown field; the accepted fields are description, top_k and start."
    assert ".;" not in text


def test_a_too_long_description_states_the_limit(local_client: TestClient) -> None:
    for path in ("/api/recommend", "/api/team"):
        text = message(local_client, path, {"description": "Go " * 1400})
        assert text == "description: 4,200 characters is too long; the limit is 4,000 characters."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"description": "Go", "top_k": 11}, "top_k: must be at most 10 (got 11)."),
        ({"description": "Go", "top_k": 0}, "top_k: must be at least 1 (got 0)."),
        ({"description": 3}, "description: input should be a valid string."),
        ({"description": "   "}, "description: must contain text, not only whitespace."),
    ],
)
def test_a_value_out_of_its_range_or_type_says_which_limit(
    local_client: TestClient, body: dict[str, object], expected: str
) -> None:
    assert message(local_client, "/api/recommend", body) == expected


def test_team_size_states_its_own_limit(local_client: TestClient) -> None:
    assert message(local_client, "/api/team", {"description": "Go", "max_size": 7}) == (
        "max_size: must be at most 6 (got 7)."
    )


def test_the_hint_on_a_fresh_app_is_the_same_as_served() -> None:
    app = create_app()
    with TestClient(app) as client:
        served = client.get("/nowhere").json()["error"]["message"]
    assert served == f"Nothing at /nowhere. {routes_hint(app)}"
