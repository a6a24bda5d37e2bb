"""understood, missing, coverage and closest in /api/recommend, with both backends."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bestdev.recommend.local import LocalRecommender
from bestdev.template import NO_MATCH
from tests.fakes.openai_model import FakeModel, Reply
from tests.grounding import assert_response_grounded

JAVA = "Java, Spring Boot, Kafka and a Postgres database"
UNDERSTOOD_JAVA = [
    {"technology": "Java", "text": "Java", "weight": "normal", "via": "name"},
    {"technology": "Spring Boot", "text": "Spring Boot", "weight": "normal", "via": "name"},
    {"technology": "Kafka", "text": "Kafka", "weight": "normal", "via": "name"},
    {"technology": "PostgreSQL", "text": "Postgres", "weight": "normal", "via": "alias"},
]


def test_each_recommendation_says_what_it_lacks_and_covers(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": JAVA}).json()
    assert body["understood"] == UNDERSTOOD_JAVA
    assert body["closest"] == []
    first, second, third = body["recommendations"]
    # PostgreSQL is missing, but SQL (through Oracle Database), the broader technology, counts half of it
    assert (first["name"], first["missing"], first["coverage"]) == ("Lucas Martin", ["PostgreSQL"], 0.875)
    assert second["missing"]
    assert third["missing"]
    for item in body["recommendations"]:
        held = {"Java", "Spring Boot", "Kafka", "PostgreSQL"} - set(item["missing"])
        assert len(held) / 4 <= item["coverage"] <= (len(held) + len(item["missing"]) / 2) / 4


def test_holding_every_named_technology_is_coverage_one(local_client: TestClient) -> None:
    first = local_client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()[
        "recommendations"
    ][0]
    assert (first["name"], first["missing"], first["coverage"]) == ("Chen Wei", [], 1.0)


def test_nobody_fits_shows_the_closest_not_as_fits(local_client: TestClient, local: LocalRecommender) -> None:
    body = local_client.post("/api/recommend", json={"description": "A Svelte frontend on Supabase", "top_k": 2}).json()
    assert body["recommendations"] == []
    assert body["message"] == "Nobody in the pool lists Svelte or Supabase."
    assert len(body["closest"]) == 2
    for item in body["closest"]:
        assert set(item) == {"name", "title", "reason", "holds", "missing", "coverage"}
        assert item["reason"].startswith("Not a fit")
        assert {"Svelte", "Supabase"} <= set(item["missing"])
    assert_response_grounded(local, body)


def test_understood_is_the_same_whichever_backend_answers(
    local_client: TestClient, model_client: TestClient, fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(" Mikko Heikkinen, because they have experience with Kafka and PostgreSQL."))
    model_body = model_client.post("/api/recommend", json={"description": JAVA}).json()
    local_body = local_client.post("/api/recommend", json={"description": JAVA}).json()
    assert model_body["backend"] == "azure-openai"
    assert model_body["understood"] == local_body["understood"] == UNDERSTOOD_JAVA
    pick = model_body["recommendations"][0]
    assert (pick["name"], pick["missing"], pick["coverage"]) == ("Mikko Heikkinen", ["Java", "Spring Boot"], 0.5)
    for item in model_body["recommendations"][1:]:
        assert (4 - len(item["missing"])) / 4 <= item["coverage"] <= (4 - len(item["missing"]) / 2) / 4


def test_a_fallback_answer_is_explained_too(model_client: TestClient, fake_model: FakeModel) -> None:
    fake_model.script(Reply.answer(" Mallory, because she said so."))
    body = model_client.post("/api/recommend", json={"description": JAVA}).json()
    assert body["fallback"] is not None
    assert body["understood"] == UNDERSTOOD_JAVA
    assert body["recommendations"][0]["missing"] == ["PostgreSQL"]


def test_the_model_s_nobody_comes_with_the_closest(
    model_client: TestClient, fake_model: FakeModel, local: LocalRecommender
) -> None:
    fake_model.script(Reply.answer(f" {NO_MATCH}: nobody in the pool lists Svelte or Supabase."))
    body = model_client.post("/api/recommend", json={"description": "A Svelte frontend on Supabase"}).json()
    assert (body["backend"], body["fallback"], body["recommendations"]) == ("azure-openai", None, [])
    assert body["message"] == "Nobody in the pool lists Svelte or Supabase."
    assert [item["technology"] for item in body["understood"]] == ["Svelte", "frontend", "Supabase"]
    assert body["closest"]
    assert all({"Svelte", "Supabase"} <= set(item["missing"]) for item in body["closest"])
    assert_response_grounded(local, body)


def test_what_the_description_names_but_the_recommender_does_not_know_is_listed(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": "A Kubernets operator"}).json()
    assert body["recommendations"] == []
    assert body["unrecognised"] == [{"text": "Kubernets", "did_you_mean": "Kubernetes"}]
    assert body["message"].endswith("Did you mean Kubernetes?")
    body = local_client.post("/api/recommend", json={"description": "Our stack: Gleam, Kafka and DB2"}).json()
    assert body["unrecognised"] == [{"text": "Gleam", "did_you_mean": None}, {"text": "DB2", "did_you_mean": None}]
    team = local_client.post("/api/team", json={"description": "Our stack: Gleam, Kafka and DB2"}).json()
    assert [item["text"] for item in team["unrecognised"]] == ["Gleam", "DB2"]


def test_a_misspelt_skills_item_is_weighed_and_the_answer_shows_what_was_written(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": "Recommended skills: Kubernets, Terraform"}).json()
    assert body["understood"][0] == {
        "technology": "Kubernetes",
        "text": "Kubernets",
        "weight": "must",
        "via": "spelling",
    }
    assert body["unrecognised"] == []
    assert body["recommendations"]
    assert "Kubernetes" in body["recommendations"][0]["matched_skills"]
