"""The app behind a double of its Azure front (tests/fakes/azure_front.py): the Functions host and App Service
authentication as deployed by infra/, over real HTTP. What a browser or a service meets in Azure."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2
import pytest

from bestdev.api.app import create_app
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from tests.fakes.azure_front import PAGE_ORIGIN, ROLE, SERVICE_CLIENT, AzureFront, azure_front

SERVICE = SERVICE_CLIENT
BODY = {"description": "A React Native app with Firebase", "top_k": 1}


@pytest.fixture
def front(deployed: tuple[AzureFront, str]) -> tuple[AzureFront, str]:
    return deployed


@contextmanager
def signed_in(url: str, person: str = "Ada") -> Iterator[httpx2.Client]:
    """A client that went through the sign-in as a browser does (cookies kept)."""
    with httpx2.Client(base_url=url, follow_redirects=True, timeout=10.0) as client:
        page = client.get("/.auth/login/aad", params={"post_login_redirect_uri": "/"})
        assert "Sign in as" in page.text
        client.post("/.auth/login/aad/callback", data={"person": person, "state": "/"})
        yield client


def test_without_a_session_people_are_sent_to_sign_in_and_programs_get_401(front: tuple[AzureFront, str]) -> None:
    _, url = front
    with httpx2.Client(base_url=url, timeout=10.0) as client:
        for path in ("/", "/static/app.js", "/api/docs"):
            answer = client.get(path, headers={"Accept": "text/html"})
            assert answer.status_code == 302, path
            target = httpx2.URL(answer.headers["location"])
            assert (target.path, target.params["post_login_redirect_uri"]) == ("/.auth/login/aad", path)
        for method, path in (("POST", "/api/recommend"), ("POST", "/api/team"), ("GET", "/api/pool")):
            answer = client.request(method, path, json=BODY if method == "POST" else None)
            assert answer.status_code == 401, path  # the app's own answer: a program cannot follow a redirect
            assert answer.json()["error"]["code"] == "unauthorized"
            assert answer.headers["www-authenticate"] == "Bearer"
        assert client.get("/api/health").status_code == 200
        assert client.head("/api/health").status_code == 200


def test_a_person_opening_the_page_signs_in_and_lands_on_it(front: tuple[AzureFront, str]) -> None:
    _, url = front
    with httpx2.Client(base_url=url, follow_redirects=True, timeout=10.0) as client:
        sign_in = client.get("/", headers={"Accept": "text/html"})
        assert "Sign in as" in sign_in.text
        page = client.post("/.auth/login/aad/callback", data={"person": "Ada", "state": "/"})
        assert page.status_code == 200
        assert "<h1" in page.text


def test_signed_in_the_page_assets_and_api_work_without_any_key(front: tuple[AzureFront, str]) -> None:
    double, url = front
    with signed_in(url) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "code=" not in page.text
        for asset in ("static/app.js", "static/style.css", "static/config.js", "static/feedback.js", "static/logo.svg"):
            assert client.get(f"/{asset}").status_code == 200, asset
        answer = client.post("/api/recommend", json=BODY)
        assert answer.status_code == 200
        assert answer.json()["recommendations"][0]["name"] == "Chen Wei"
        principal = json.loads(base64.b64decode(double.seen[-1]["x-ms-client-principal"]))
        assert {"typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "val": ROLE} in (
            principal["claims"]
        )


def test_people_without_the_role_cannot_sign_in(front: tuple[AzureFront, str]) -> None:
    _, url = front
    with httpx2.Client(base_url=url, follow_redirects=True, timeout=10.0) as client:
        refused = client.post("/.auth/login/aad/callback", data={"person": "Mallory", "state": "/"})
        assert refused.status_code == 400
        assert client.get("/").url.path == "/_idp/authorize"  # back to signing in, never the page


def test_a_forged_principal_from_a_caller_is_stripped(front: tuple[AzureFront, str]) -> None:
    double, url = front
    forged = base64.b64encode(json.dumps({"claims": [{"typ": "roles", "val": ROLE}]}).encode()).decode()
    with httpx2.Client(base_url=url, timeout=10.0) as client:
        assert client.post("/api/recommend", json=BODY, headers={"X-MS-CLIENT-PRINCIPAL": forged}).status_code == 401
        client.get("/api/health", headers={"X-MS-CLIENT-PRINCIPAL": forged})
    assert "x-ms-client-principal" not in double.seen[-1]


def test_a_service_with_a_token_for_an_allowed_client(front: tuple[AzureFront, str]) -> None:
    double, url = front
    token = double.issue_token(SERVICE, roles=(ROLE,))
    with httpx2.Client(base_url=url, timeout=10.0) as client:
        answer = client.post("/api/recommend", json=BODY, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store"


def test_tokens_the_policy_or_the_app_refuses(front: tuple[AzureFront, str]) -> None:
    double, url = front
    other_client = double.issue_token("someone-else", roles=(ROLE,))
    no_role = double.issue_token(SERVICE)
    wrong_audience = double.issue_token(SERVICE, roles=(ROLE,), audience="api://another-app")
    with httpx2.Client(base_url=url, timeout=10.0) as client:

        def status(token: str) -> int:
            return client.post("/api/recommend", json=BODY, headers={"Authorization": f"Bearer {token}"}).status_code

        assert status(other_client) == 403  # defaultAuthorizationPolicy.allowedApplications
        assert status(no_role) == 403  # the app's own check of the role
        assert status(wrong_audience) == 401
        assert status("not-a-token") == 401


def test_preflights_are_answered_from_the_platform_list(front: tuple[AzureFront, str]) -> None:
    _, url = front
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    with httpx2.Client(base_url=url, timeout=10.0) as client:
        allowed = client.options("/api/recommend", headers={"Origin": PAGE_ORIGIN, **ask})
        assert allowed.status_code == 204
        assert allowed.headers["access-control-allow-origin"] == PAGE_ORIGIN
        assert allowed.headers["access-control-allow-credentials"] == "true"
        assert "POST" in allowed.headers["access-control-allow-methods"]
        other = client.options("/api/recommend", headers={"Origin": "https://evil.example", **ask})
        assert "access-control-allow-origin" not in other.headers
        refused = client.post("/api/recommend", json=BODY, headers={"Origin": PAGE_ORIGIN})
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == PAGE_ORIGIN  # the page can read the 401


def test_with_easy_auth_off_function_keys_gate_service_callers(local: LocalRecommender) -> None:
    app = create_app(Settings(), recommender=local)
    with (
        azure_front(app, easy_auth=False, auth_level="function", function_keys=("the-key",)) as (_, url),
        httpx2.Client(base_url=url, timeout=10.0) as client,
    ):
        assert client.post("/api/recommend", json=BODY).status_code == 401
        assert client.get("/api/health").status_code == 401  # one function: its key check covers every path
        assert client.post("/api/recommend", json=BODY, headers={"x-functions-key": "the-key"}).status_code == 200
        assert client.get("/api/health", params={"code": "the-key"}).status_code == 200


def test_without_the_api_paths_excluded_a_service_would_get_a_redirect(local: LocalRecommender) -> None:
    """Why infra/ excludes the API's paths from the sign-in redirect: otherwise a service calling without a token
    would get a 302 to a sign-in page it cannot follow, instead of the app's 401."""
    app = create_app(Settings(), recommender=local)
    with (
        azure_front(app, excluded_paths=("/api/health",)) as (_, url),
        httpx2.Client(base_url=url, timeout=10.0) as client,
    ):
        answer = client.post("/api/recommend", json=BODY)
        assert answer.status_code == 302
        assert answer.headers["location"].startswith("/.auth/login/aad")


def test_sign_in_only_returns_to_this_app(front: tuple[AzureFront, str]) -> None:
    _, url = front
    with httpx2.Client(base_url=url, timeout=10.0) as client:
        response = client.get("/.auth/login/aad", params={"post_login_redirect_uri": "https://evil.example/"})
        assert response.status_code == 400
        me = client.get("/.auth/me")
        assert me.status_code == 401


def test_a_cross_site_form_cannot_use_a_signed_in_session(front: tuple[AzureFront, str]) -> None:
    """A session cookie goes with any request the browser makes, a form posted from another site too; such a form can
    only send urlencoded, multipart or text/plain bodies (JSON needs a preflight, refused for unlisted origins)."""
    _, url = front
    with signed_in(url) as client:
        for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"):
            answer = client.post(
                "/api/feedback",
                content=b'{"description": "x", "developer": "Chen Wei", "verdict": "good"}',
                headers={"Content-Type": kind, "Origin": "https://evil.example"},
            )
            assert answer.status_code == 415, kind
