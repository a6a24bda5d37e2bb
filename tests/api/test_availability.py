"""The start day in requests, and when each developer is free in answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

RN = "A React Native app with Firebase"


def test_each_recommendation_says_when_they_are_free(local_client: TestClient) -> None:
    body = local_client.post("/api/recommend", json={"description": RN, "start": "2027-01-15"}).json()
    chen = body["recommendations"][0]
    assert (chen["name"], chen["available_from"], chen["allocation"], chen["free"]) == (
        "Chen Wei",
        "2027-02-01",
        100,
        False,
    )
    assert all(item["free"] for item in body["recommendations"][1:])  # nobody free covers as much as Chen
    later = local_client.post("/api/recommend", json={"description": RN, "start": "2027-02-01"}).json()
    assert later["recommendations"][0]["free"] is True
    plain = local_client.post("/api/recommend", json={"description": RN}).json()
    assert plain["recommendations"][0]["free"] is None


def test_team_members_say_when_they_are_free(local_client: TestClient) -> None:
    body = local_client.post(
        "/api/team", json={"description": "Kubernetes and Docker", "max_size": 1, "start": "2027-01-01"}
    ).json()
    member = body["members"][0]
    assert {"available_from", "allocation", "free"} <= set(member)
    assert member["free"] is True


@pytest.mark.parametrize("start", ["2027-13-01", "1 March", 20270301, "2027-03-01T10:00:00"])
def test_a_start_that_is_not_a_day_is_refused(local_client: TestClient, start: object) -> None:
    response = local_client.post("/api/recommend", json={"description": RN, "start": start})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("start:")


def test_the_pool_lists_availability(local_client: TestClient) -> None:
    body = local_client.get("/api/pool").json()
    aino = next(item for item in body["developers"] if item["name"] == "Aino Virtanen")
    assert (aino["available_from"], aino["allocation"]) == ("2027-03-03", 100)
    assert len(body["version"]) == 12
