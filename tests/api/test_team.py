"""POST /api/team through the app, with both backends."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bestdev.recommend.local import LocalRecommender
from bestdev.template import NO_MATCH
from tests.fakes.openai_model import FakeModel, Reply
from tests.grounding import assert_envelope, assert_team_grounded

FOUR_PEOPLE = "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports"


def test_a_team_covers_a_stack_spanning_four_people(local_client: TestClient, local: LocalRecommender) -> None:
    response = local_client.post("/api/team", json={"description": FOUR_PEOPLE})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        *("members", "uncovered", "left_out", "understood", "unrecognised", "exact"),
        *("backend", "model", "request_id", "message", "fallback", "pool_version"),
    }
    assert body["pool_version"] == local.pool.version
    assert 1 <= len(body["members"]) <= 4
    covered = {name for member in body["members"] for name in member["covers"]}
    assert (
        covered
        == {item["technology"] for item in body["understood"]}
        == {*("React Native", "Go", "gRPC", "Kubernetes", "Terraform", "Power BI")}
    )
    assert (body["uncovered"], body["left_out"], body["exact"], body["backend"]) == ([], [], True, "local")
    assert body["request_id"] == response.headers["x-request-id"]
    assert_team_grounded(local, body)


def test_max_size_limits_the_team_and_says_what_is_left_out(local_client: TestClient) -> None:
    body = local_client.post("/api/team", json={"description": FOUR_PEOPLE, "max_size": 1}).json()
    assert len(body["members"]) == 1
    assert body["left_out"]
    assert body["message"].startswith("A team of 1 person cannot also cover")


def test_what_nobody_has_is_uncovered(local_client: TestClient) -> None:
    body = local_client.post("/api/team", json={"description": "A Svelte app on Supabase with Kafka"}).json()
    assert body["uncovered"] == ["Svelte", "Supabase"]
    assert body["message"].startswith("Nobody in the pool lists Svelte or Supabase.")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"description": "   "},
        {"description": "Go", "max_size": 0},
        {"description": "Go", "max_size": 7},
        {"description": "Go", "max_size": "2"},
        {"description": "Go", "top_k": 2},
        ["a list"],
    ],
)
def test_bad_input_gets_the_envelope(local_client: TestClient, payload: object) -> None:
    response = local_client.post("/api/team", json=payload)
    assert response.status_code == 422
    assert_envelope(response.json())
    assert response.json()["error"]["code"] == "invalid_request"


def test_not_json_gets_the_envelope(local_client: TestClient) -> None:
    response = local_client.post("/api/team", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_json"


def test_the_model_s_grounded_pick_is_the_first_member(
    model_client: TestClient, fake_model: FakeModel, local: LocalRecommender
) -> None:
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native.<END_OUTPUT>"))
    body = model_client.post("/api/team", json={"description": FOUR_PEOPLE}).json()
    assert (body["backend"], body["model"], body["fallback"]) == ("azure-openai", "bestdev-ft", None)
    assert body["members"][0]["name"] == "Chen Wei"
    assert body["members"][0]["covers"] == ["React Native"]
    covered = {name for member in body["members"] for name in member["covers"]}
    assert covered == {item["technology"] for item in body["understood"]}
    assert len(body["members"]) <= 4
    assert_team_grounded(local, body)


def test_a_model_fault_staffs_locally_and_says_why(model_client: TestClient, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Mallory, because she said so."))
    body = model_client.post("/api/team", json={"description": FOUR_PEOPLE}).json()
    assert body["backend"] == "local"
    assert body["fallback"] == {"reason": "the model named someone who is not in the pool"}
    assert {name for member in body["members"] for name in member["covers"]} == {
        item["technology"] for item in body["understood"]
    }


def test_the_team_is_documented_with_examples(local_client: TestClient) -> None:
    schema = local_client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/team"]["post"]
    assert {"200", "422"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert components["TeamRequest"]["examples"][0]["max_size"] == 4
    assert components["TeamRequest"]["properties"]["max_size"]["maximum"] == 6
    assert components["TeamResponse"]["examples"][0]["members"]
    assert components["RecommendResponse"]["examples"][0]["understood"]


def test_when_the_model_says_nobody_fits_the_team_is_staffed_from_the_pool(
    model_client: TestClient, fake_model: FakeModel, local: LocalRecommender
) -> None:
    fake_model.script(Reply.answer(f" {NO_MATCH}."))
    body = model_client.post("/api/team", json={"description": "A Svelte frontend on Supabase"}).json()
    assert (body["backend"], body["model"], body["fallback"]) == ("azure-openai", "bestdev-ft", None)
    assert body["uncovered"] == ["Svelte", "Supabase"]
    assert [member["covers"] for member in body["members"]] == [["frontend"]]  # the concept is all anyone holds
    assert_team_grounded(local, body)
