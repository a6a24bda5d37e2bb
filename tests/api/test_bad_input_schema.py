"""Schemathesis against the app's own /api/openapi.json, over real HTTP on 127.0.0.1, for both backends.

Every operation gets schema-valid and schema-violating requests (examples, coverage and fuzzing phases, all
generation modes). Besides schemathesis' own checks (no 5xx, documented status codes and bodies, bad data rejected,
good data accepted, 405 for undeclared methods), every error must carry the envelope and every recommendation
must be grounded in the pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from bestdev.api.app import create_app
from bestdev.pool import load_pool
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import load_settings
from tests.conftest import DEPLOYMENT
from tests.fakes.openai_model import FakeModel
from tests.fakes.server import serve_in_thread
from tests.grounding import assert_envelope, assert_response_grounded, assert_team_grounded

LOCAL = LocalRecommender(load_pool())


def published_schema() -> dict[str, Any]:
    """The document the app serves at /api/openapi.json (the schema does not depend on the backend)."""
    with TestClient(create_app(load_settings(BESTDEV_FALLBACK="local"))) as client:
        document: dict[str, Any] = client.get("/api/openapi.json").json()
    return document


schema = schemathesis.openapi.from_dict(published_schema())


@pytest.fixture(scope="module")
def local_api_url() -> Iterator[str]:
    with serve_in_thread(create_app(load_settings(BESTDEV_FALLBACK="local"))) as url:
        yield url


@pytest.fixture(scope="module")
def model_api_url(fake_model_server: tuple[FakeModel, str]) -> Iterator[str]:
    """Backed by the fake model: its fixed answer is grounded for some descriptions, a fallback for the rest."""
    _, fake_url = fake_model_server
    settings_ = load_settings(
        AZURE_OPENAI_ENDPOINT=fake_url,
        AZURE_OPENAI_DEPLOYMENT=DEPLOYMENT,
        AZURE_OPENAI_API_KEY="test-key",
        BESTDEV_MODEL_MAX_RETRIES=0,
    )
    with serve_in_thread(create_app(settings_)) as url:
        yield url


@pytest.fixture(params=["local", "model"])
def api_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_api_url")
    return url


def error_envelope(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every 4xx and 5xx is {"error": {"code", "message"}} and nothing else; every response has a request id."""
    assert response.headers.get("x-request-id"), response.headers
    if response.status_code >= 400:
        assert_envelope(response.json())


def grounded_in_the_pool(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every recommended developer (and team member) is in the pool, with only skills the pool lists for them."""
    if response.status_code != 200:
        return
    body = response.json()
    if "recommendations" in body:
        assert_response_grounded(LOCAL, body)
    if "members" in body:
        assert_team_grounded(LOCAL, body)


@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_own_schema(case: Case, api_url: str) -> None:
    case.call_and_validate(base_url=api_url, additional_checks=[error_envelope, grounded_in_the_pool])
