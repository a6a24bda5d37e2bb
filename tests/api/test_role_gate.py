"""BESTDEV_REQUIRED_ROLE: the app's own check of the principal App Service authentication passes on."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.api.principal import ROLE_CLAIM, Claim, Principal, encode_principal, read_principal
from bestdev.api.role_gate import api_paths
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import SettingsError, load_settings

BODY = {"description": "A React Native app with Firebase", "top_k": 1}
ROLE = "BestDev.User"


def principal(*roles: str, role_type: str = ROLE_CLAIM) -> str:
    claims = [Claim(typ="name", val="Ada Lovelace"), *(Claim(typ=role_type, val=role) for role in roles)]
    return encode_principal(Principal(auth_typ="aad", name_typ="name", role_typ=role_type, claims=tuple(claims)))


@pytest.fixture
def gated(local: LocalRecommender) -> Iterator[TestClient]:
    settings = load_settings(BESTDEV_REQUIRED_ROLE=ROLE, BESTDEV_CORS_ORIGINS="https://page.example")
    with TestClient(create_app(settings, recommender=local), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/recommend"), ("GET", "/api/pool"), ("GET", "/")])
def test_no_principal_is_401_with_the_envelope(gated: TestClient, method: str, path: str) -> None:
    response = gated.request(method, path, json=BODY if method == "POST" else None)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {"Sec-Fetch-Mode": "navigate", "Accept": "text/html"}),
        ("/api/docs", {"Accept": "text/html,application/xhtml+xml"}),  # a browser that sends no Sec-Fetch-*
        ("/static/style.css?v=2", {"Sec-Fetch-Mode": "navigate"}),
    ],
)
def test_a_browser_opening_a_page_without_a_principal_is_sent_to_sign_in(
    gated: TestClient, path: str, headers: dict[str, str]
) -> None:
    response = gated.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/.auth/login/aad?post_login_redirect_uri=" + path.split("?")[0]
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/", {"Sec-Fetch-Mode": "cors", "Accept": "text/html"}),  # a script's fetch, not a navigation
        ("GET", "/api/pool", {"Sec-Fetch-Mode": "navigate", "Accept": "text/html"}),  # API paths: always 401
        ("POST", "/", {"Accept": "text/html"}),
    ],
)
def test_everything_else_without_a_principal_gets_401_not_a_redirect(
    gated: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = gated.request(method, path, headers=headers, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_api_paths_are_what_programs_call(local: LocalRecommender) -> None:
    paths = api_paths(create_app(load_settings(), recommender=local))
    assert {"/api/recommend", "/api/team", "/api/feedback", "/api/pool", "/api/health"} <= set(paths)
    assert "/api/docs" not in paths
    assert "/" not in paths
    assert paths == sorted(set(paths))


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"[1, 2]").decode(), "", "e30=" * 20_000])
def test_an_unreadable_principal_counts_as_none(gated: TestClient, value: str) -> None:
    response = gated.post("/api/recommend", json=BODY, headers={"X-MS-CLIENT-PRINCIPAL": value})
    assert response.status_code == 401


def test_a_principal_without_the_role_is_403(gated: TestClient) -> None:
    response = gated.post("/api/recommend", json=BODY, headers={"X-MS-CLIENT-PRINCIPAL": principal("Other.Role")})
    assert response.status_code == 403
    assert ROLE in response.json()["error"]["message"]


@pytest.mark.parametrize("role_type", [ROLE_CLAIM, "roles"])
def test_the_role_lets_people_and_services_in(gated: TestClient, role_type: str) -> None:
    headers = {"X-MS-CLIENT-PRINCIPAL": principal(ROLE, role_type=role_type)}
    response = gated.post("/api/recommend", json=BODY, headers=headers)
    assert response.status_code == 200
    assert response.json()["recommendations"][0]["name"] == "Chen Wei"
    assert gated.get("/", headers=headers).status_code == 200


def test_the_health_probe_and_preflights_need_no_principal(gated: TestClient) -> None:
    assert gated.get("/api/health").status_code == 200
    assert gated.head("/api/health").status_code == 200
    preflight = gated.options(
        "/api/recommend",
        headers={"Origin": "https://page.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert gated.post("/api/health").status_code == 401  # only the probe's own methods are open


def test_a_refusal_is_readable_cross_origin(gated: TestClient) -> None:
    response = gated.post("/api/recommend", json=BODY, headers={"Origin": "https://page.example"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "https://page.example"


def test_without_the_setting_nothing_is_checked(local_client: TestClient) -> None:
    assert local_client.post("/api/recommend", json=BODY).status_code == 200


def test_the_principal_round_trips_and_names_the_caller() -> None:
    read = read_principal(principal(ROLE, "Another"))
    assert read is not None
    assert read.roles == {ROLE, "Another"}
    assert read.name == "Ada Lovelace"
    assert read_principal(None) is None


def test_a_bad_role_setting_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="BESTDEV_REQUIRED_ROLE"):
        load_settings(BESTDEV_REQUIRED_ROLE="no spaces please")


def test_the_auth_level_setting() -> None:
    anonymous = load_settings(BESTDEV_FUNCTION_AUTH_LEVEL=" Anonymous ", BESTDEV_REQUIRED_ROLE=ROLE)
    assert anonymous.function_auth_level == "anonymous"
    with pytest.raises(SettingsError, match="anonymous needs BESTDEV_REQUIRED_ROLE"):
        load_settings(BESTDEV_FUNCTION_AUTH_LEVEL="anonymous")
    with pytest.raises(SettingsError, match="BESTDEV_FUNCTION_AUTH_LEVEL"):
        load_settings(BESTDEV_FUNCTION_AUTH_LEVEL="admin")
    assert load_settings(BESTDEV_REQUIRED_ROLE=" ").required_role is None


def test_me_names_the_signed_in_caller(gated: TestClient) -> None:
    answer = gated.get("/api/me", headers={"X-MS-CLIENT-PRINCIPAL": principal(ROLE)})
    assert answer.json() == {"signed_in": True, "name": "Ada Lovelace"}
    assert answer.headers["cache-control"] == "no-store"


def test_me_without_sign_in_ignores_a_principal_header(local: LocalRecommender) -> None:
    """Without BESTDEV_REQUIRED_ROLE nothing strips the header in front of the app: anyone could have set it."""
    with TestClient(create_app(load_settings(), recommender=local)) as client:
        answer = client.get("/api/me", headers={"X-MS-CLIENT-PRINCIPAL": principal(ROLE)})
    assert answer.json() == {"signed_in": False, "name": None}
