"""Recommendations carry the developer's title from the pool, for the page's cards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bestdev.pool import Pool


def test_recommendations_carry_the_pool_title(local_client: TestClient, pool: Pool) -> None:
    titles = {developer.name: developer.title for developer in pool.developers}
    body = local_client.post(
        "/api/recommend", json={"description": "Python and Kubernetes on Azure", "top_k": 10}
    ).json()
    assert len(body["recommendations"]) > 2
    for item in body["recommendations"]:
        assert item["title"] == titles[item["name"]]
