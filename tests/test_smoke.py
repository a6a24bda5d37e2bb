"""bestdev/smoke.py against the Azure-front double: a deployment as infra/ makes it passes every check; the
mistakes it exists to catch each fail one."""

from __future__ import annotations

from typing import ClassVar

import httpx2
import pytest

from bestdev.api.app import create_app
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from bestdev.smoke import SmokeTarget, run_smoke
from tests.fakes.azure_front import PAGE_ORIGIN, ROLE, SERVICE_CLIENT, AzureFront, azure_front
from tests.fakes.server import serve_in_thread


def statuses(checks: list) -> dict[str, str]:
    return {check.name: check.status for check in checks}


def test_a_deployment_as_infra_makes_it_passes(deployed: tuple[AzureFront, str]) -> None:
    front, url = deployed
    token = front.issue_token(SERVICE_CLIENT, roles=(ROLE,))
    checks = run_smoke(SmokeTarget(url, token=token, origin=PAGE_ORIGIN))
    assert [check for check in checks if check.status != "pass"] == []
    assert set(statuses(checks)) == {
        "health probe open",
        "GET / sends a browser to sign in",
        "POST /api/recommend refused without sign-in",
        "preflight from an allowed origin",
        "page and its assets",
        "API docs and their assets",
        "API answers signed in",
    }


def test_a_signed_in_browser_session_works_too(deployed: tuple[AzureFront, str]) -> None:
    _, url = deployed
    with httpx2.Client(base_url=url) as browser:
        browser.post("/.auth/login/aad/callback", data={"person": "Ada", "state": "/"})
        cookie = browser.cookies["AppServiceAuthSession"]
    checks = run_smoke(SmokeTarget(url, cookie=cookie))
    assert statuses(checks)["page and its assets"] == "pass"
    assert statuses(checks)["API answers signed in"] == "pass"
    assert statuses(checks)["preflight from an allowed origin"] == "skip"


def test_without_credentials_the_signed_in_checks_are_skipped_not_passed(deployed: tuple[AzureFront, str]) -> None:
    _, url = deployed
    checks = statuses(run_smoke(SmokeTarget(url)))
    assert checks["signed in"] == "skip"
    assert "API answers signed in" not in checks


def test_a_token_without_the_role_fails(deployed: tuple[AzureFront, str]) -> None:
    front, url = deployed
    token = front.issue_token(SERVICE_CLIENT)
    checks = {check.name: check for check in run_smoke(SmokeTarget(url, token=token))}
    assert checks["API answers signed in"].status == "fail"
    assert "403" in checks["API answers signed in"].detail


def test_an_origin_the_platform_does_not_allow_fails(deployed: tuple[AzureFront, str]) -> None:
    _, url = deployed
    check = statuses(run_smoke(SmokeTarget(url, origin="https://not-listed.example")))
    assert check["preflight from an allowed origin"] == "fail"


def test_an_open_api_fails(local: LocalRecommender) -> None:
    with serve_in_thread(create_app(Settings(), recommender=local)) as url:
        checks = statuses(run_smoke(SmokeTarget(url, token="anything")))
    assert checks["POST /api/recommend refused without sign-in"] == "fail"
    assert checks["GET / sends a browser to sign in"] == "fail"
    assert checks["page and its assets"] == "pass"


def test_a_redirect_where_a_401_belongs_fails(local: LocalRecommender) -> None:
    app = create_app(Settings(), recommender=local)
    with azure_front(app, excluded_paths=("/api/health",)) as (_, url):  # the API's paths not left to the app
        checks = {check.name: check for check in run_smoke(SmokeTarget(url))}
    refused = checks["POST /api/recommend refused without sign-in"]
    assert refused.status == "fail"
    assert "redirect" in refused.detail


def test_an_unreachable_deployment_fails_every_check_it_tries() -> None:
    checks = run_smoke(SmokeTarget("http://127.0.0.1:9", token="t", timeout=2))
    assert {check.status for check in checks} == {"fail", "skip"}


@pytest.mark.parametrize("missing", ["content-security-policy", "x-content-type-options"])
def test_a_missing_security_header_fails(deployed: tuple[AzureFront, str], missing: str) -> None:
    front, url = deployed
    token = front.issue_token(SERVICE_CLIENT, roles=(ROLE,))

    def strip(request: httpx2.Request) -> httpx2.Response:
        with httpx2.Client() as real:
            answer = real.send(request)
            headers = {k: v for k, v in answer.headers.items() if k.lower() not in {missing, "content-encoding"}}
            return httpx2.Response(answer.status_code, headers=headers, content=answer.content)

    checks = statuses(run_smoke(SmokeTarget(url, token=token), transport=httpx2.MockTransport(strip)))
    assert checks["page and its assets"] == "fail"


class Broken:
    """A deployment that gets one thing wrong at a time (`fault`), otherwise like a good one signed in."""

    PAGE = '<html><link rel="stylesheet" href="static/style.css"><script src="static/app.js"></script></html>'
    HEADERS: ClassVar[dict[str, str]] = {
        "content-security-policy": "default-src 'none'; script-src 'self'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    }

    def __init__(self, fault: str) -> None:
        from starlette.applications import Starlette
        from starlette.routing import Route

        self.fault = fault
        self.app = Starlette(
            routes=[
                Route("/", self.page),
                Route("/api/docs", self.docs),
                Route("/static/{name}", self.asset),
                Route("/api/health", self.health, methods=["GET"]),
                Route("/api/recommend", self.recommend, methods=["POST", "OPTIONS"]),
            ]
        )

    def signed_in(self, request) -> bool:
        return request.headers.get("authorization") == "Bearer good"

    async def page(self, request):
        from starlette.responses import RedirectResponse, Response

        if not self.signed_in(request) and self.fault == "no sign-in redirect":
            return Response(status_code=401)
        if not self.signed_in(request):
            return RedirectResponse("/.auth/login/aad?post_login_redirect_uri=/", status_code=302)
        text = (
            self.PAGE.replace("</html>", "x-functions-key</html>") if self.fault == "page asks for a key" else self.PAGE
        )
        if self.fault == "no assets":
            text = "<html></html>"
        kind = "text/plain" if self.fault == "page not html" else "text/html"
        return Response(text, media_type=kind, headers=self.HEADERS)

    async def docs(self, request):
        from starlette.responses import Response

        if not self.signed_in(request):
            return Response(status_code=401)
        return Response(self.PAGE.replace('"static/', '"../static/'), media_type="text/html", headers=self.HEADERS)

    async def asset(self, request):
        from starlette.responses import Response

        name = request.path_params["name"]
        if self.fault == "asset missing" and name == "style.css":
            return Response(status_code=404)
        body = "headers['x-functions-key'] = k;" if self.fault == "script sends a key" and name == "app.js" else "x"
        return Response(body, media_type="text/css" if name.endswith(".css") else "text/javascript")

    async def health(self, request):
        from starlette.responses import JSONResponse, Response

        if self.fault == "probe down":
            return Response(status_code=503)
        if self.fault == "probe not json":
            return Response("ok", media_type="text/plain")
        return JSONResponse({"status": "ok", "backend": "local"})

    async def recommend(self, request):
        from starlette.responses import JSONResponse, Response

        if request.method == "OPTIONS":
            if self.fault == "preflight refused":
                return Response(status_code=403)
            allowed = {"access-control-allow-origin": PAGE_ORIGIN, "access-control-allow-methods": "POST"}
            return Response(status_code=204, headers={**allowed, "access-control-allow-headers": "content-type"})
        if not self.signed_in(request):
            return Response(status_code=401)
        body = {"answer": []} if self.fault == "no recommendations" else {"recommendations": [], "backend": "local"}
        cache = {} if self.fault == "cached" else {"cache-control": "no-store"}
        return JSONResponse(body, headers=cache)


@pytest.mark.parametrize(
    ("fault", "check", "says"),
    [
        ("probe down", "health probe open", "503"),
        ("no sign-in redirect", "GET / sends a browser to sign in", "answered 401, not a redirect"),
        ("probe not json", "health probe open", "not the JSON"),
        ("preflight refused", "preflight from an allowed origin", "answered 403"),
        ("page not html", "page and its assets", "text/plain"),
        ("page asks for a key", "page and its assets", "mentions a function key"),
        ("no assets", "page and its assets", "loads no assets"),
        ("asset missing", "page and its assets", "static/style.css answered 404"),
        ("script sends a key", "page and its assets", "app.js sends a function key"),
        ("no recommendations", "API answers signed in", "no recommendations list"),
        ("cached", "API answers signed in", "not no-store"),
    ],
)
def test_each_fault_fails_its_check_and_says_what(fault: str, check: str, says: str) -> None:
    with serve_in_thread(Broken(fault).app) as url:
        checks = {item.name: item for item in run_smoke(SmokeTarget(url, token="good", origin=PAGE_ORIGIN))}
    assert checks[check].status == "fail"
    assert says in checks[check].detail
    others = [item for name, item in checks.items() if name not in {check, "API docs and their assets"}]
    assert all(item.status == "pass" for item in others), [item for item in others if item.status != "pass"]
