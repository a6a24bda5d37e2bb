"""GET / serves the page and the static files it loads."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ASSETS = [
    ("static/app.js", "javascript"),
    ("static/config.js", "javascript"),
    ("static/style.css", "text/css"),
    ("static/logo.svg", "image/svg+xml"),
    ("static/feedback.js", "javascript"),
    ("static/feedback.css", "text/css"),
]


def test_the_page_is_served_at_the_root(local_client: TestClient) -> None:
    page = local_client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<label for="description">Describe the project</label>' in page.text
    assert page.headers["cache-control"] == "no-cache"  # asked for again on each visit: sign-in is checked again


def test_the_page_answers_head_for_uptime_monitors(local_client: TestClient) -> None:
    head = local_client.head("/")
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/html")
    assert head.content == b""


@pytest.mark.parametrize(("asset", "kind"), ASSETS)
def test_the_page_loads_its_assets_from_the_package(local_client: TestClient, asset: str, kind: str) -> None:
    assert f'"{asset}"' in local_client.get("/").text
    response = local_client.get(f"/{asset}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
