"""A smoke check of a deployment over HTTP, as its callers meet it: the probe is open; without sign-in a browser
opening the page is sent to sign in and the API is refused (401, not a redirect); signed in (a bearer token or a
session cookie) the page, its assets, the API docs and the API answer, with the security headers and no key
anywhere; a preflight from an allowed origin gets the CORS headers it needs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import httpx2

SESSION_COOKIE = "AppServiceAuthSession"
SAMPLE = {"description": "A React Native app with Firebase", "top_k": 1}
ASSET = re.compile(r'(?:src|href)="((?:\.\./)?static/[^"]+)"')
KINDS = {".js": "javascript", ".css": "text/css", ".svg": "image/svg+xml"}
Status = Literal["pass", "fail", "skip"]
SIGN_IN_PATH = "/.auth/login/"  # App Service authentication's sign-in, whatever the provider
BROWSER_NAVIGATION = {"Accept": "text/html,application/xhtml+xml", "Sec-Fetch-Mode": "navigate"}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str = ""


@dataclass(frozen=True)
class SmokeTarget:
    """Where and as whom: `token` (a bearer token for the app registration) or `cookie` (a signed-in browser's
    AppServiceAuthSession) for the signed-in checks; `origin` for the preflight."""

    url: str
    token: str | None = None
    cookie: str | None = None
    origin: str | None = None
    timeout: float = 30.0


def run_smoke(target: SmokeTarget, transport: httpx2.BaseTransport | None = None) -> list[Check]:
    checks: list[Check] = []
    with _client(target, transport, signed_in=False) as anonymous:
        checks += [_probe(anonymous), _sent_to_sign_in(anonymous), _refused(anonymous, "POST", "/api/recommend")]
        checks.append(_preflight(anonymous, target.origin))
    if not (target.token or target.cookie):
        checks.append(Check("signed in", "skip", "give a token or a session cookie to check the page and the API"))
        return checks
    with _client(target, transport, signed_in=True) as client:
        checks += _signed_in(client)
    return checks


@contextmanager
def _client(target: SmokeTarget, transport: httpx2.BaseTransport | None, signed_in: bool) -> Iterator[httpx2.Client]:
    headers = {"Authorization": f"Bearer {target.token}"} if signed_in and target.token else {}
    cookies = {SESSION_COOKIE: target.cookie} if signed_in and target.cookie else {}
    with httpx2.Client(
        base_url=target.url.rstrip("/"),
        headers=headers,
        cookies=cookies,
        follow_redirects=False,  # a redirect where a 401 belongs is a finding, not something to follow
        timeout=target.timeout,
        transport=transport,
    ) as client:
        yield client


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except httpx2.HTTPError as error:
        return Check(name, "fail", f"{type(error).__name__}: {error}")
    except ValueError as error:  # an answer that should be JSON is not
        return Check(name, "fail", f"not the JSON expected: {error}")


def _probe(client: httpx2.Client) -> Check:
    def run() -> Check:
        response = client.get("/api/health")
        if response.status_code != 200:
            return Check("health probe open", "fail", f"GET /api/health answered {response.status_code}")
        return Check("health probe open", "pass", f"backend {response.json().get('backend')}")

    return _guarded("health probe open", run)


def _refused(client: httpx2.Client, method: str, path: str) -> Check:
    name = f"{method} {path} refused without sign-in"

    def run() -> Check:
        response = client.request(method, path, json=SAMPLE if method == "POST" else None)
        if response.status_code == 401:
            return Check(name, "pass", "401")
        if response.is_redirect:
            return Check(name, "fail", f"a redirect ({response.status_code}) to {response.headers.get('location')}")
        return Check(name, "fail", f"answered {response.status_code}, not 401")

    return _guarded(name, run)


def _sent_to_sign_in(client: httpx2.Client) -> Check:
    name = "GET / sends a browser to sign in"

    def run() -> Check:
        response = client.get("/", headers=BROWSER_NAVIGATION)
        location = response.headers.get("location", "")
        if response.is_redirect and httpx2.URL(location).path.startswith(SIGN_IN_PATH):
            return Check(name, "pass", f"{response.status_code} to {location}")
        where = f" to {location}" if location else ""
        return Check(name, "fail", f"answered {response.status_code}{where}, not a redirect to {SIGN_IN_PATH}")

    return _guarded(name, run)


def _preflight(client: httpx2.Client, origin: str | None) -> Check:
    name = "preflight from an allowed origin"
    if not origin:
        return Check(name, "skip", "give an allowed origin to check cross-origin calls")

    def run() -> Check:
        asked = {
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        response = client.options("/api/recommend", headers=asked)
        allowed_origin = response.headers.get("access-control-allow-origin")
        methods = response.headers.get("access-control-allow-methods", "")
        headers = response.headers.get("access-control-allow-headers", "").lower()
        problems = []
        if not response.is_success:
            problems.append(f"answered {response.status_code}")
        if allowed_origin != origin:
            problems.append(f"Access-Control-Allow-Origin is {allowed_origin!r}")
        if "POST" not in methods and methods != "*":
            problems.append(f"Access-Control-Allow-Methods is {methods!r}")
        if "content-type" not in headers and headers != "*":
            problems.append(f"Access-Control-Allow-Headers is {headers!r}")
        return Check(name, "fail", "; ".join(problems)) if problems else Check(name, "pass", origin)

    return _guarded(name, run)


def _signed_in(client: httpx2.Client) -> list[Check]:
    checks = [_guarded("page and its assets", lambda: _page(client, "/", "page and its assets"))]
    checks.append(
        _guarded("API docs and their assets", lambda: _page(client, "/api/docs", "API docs and their assets"))
    )
    checks.append(_guarded("API answers signed in", lambda: _api(client)))
    return checks


def _page(client: httpx2.Client, path: str, name: str) -> Check:
    page = client.get(path)
    if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
        return Check(name, "fail", f"GET {path} answered {page.status_code} {page.headers.get('content-type')}")
    problems = _header_problems(page)
    if "x-functions-key" in page.text.lower() or "code=" in page.text:
        problems.append(f"{path} mentions a function key")
    assets = ASSET.findall(page.text)
    if not assets:
        problems.append(f"{path} loads no assets from static/")
    base = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    for asset in assets:
        url = httpx2.URL(base).join(asset).path
        response = client.get(url)
        kind = next((kind for suffix, kind in KINDS.items() if url.endswith(suffix)), "")
        if response.status_code != 200 or kind not in response.headers.get("content-type", ""):
            problems.append(f"GET {url} answered {response.status_code} {response.headers.get('content-type')}")
        elif url.endswith(".js") and "x-functions-key" in response.text.lower():
            problems.append(f"{url} sends a function key")
    if problems:
        return Check(name, "fail", "; ".join(problems))
    return Check(name, "pass", f"{len(assets)} assets")


def _header_problems(response: httpx2.Response) -> list[str]:
    policy = response.headers.get("content-security-policy", "")
    problems = []
    if not policy or "unsafe-inline" in policy or "script-src 'self'" not in policy:
        problems.append(f"Content-Security-Policy is {policy!r}")
    if response.headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("referrer-policy") != "no-referrer":
        problems.append("no Referrer-Policy: no-referrer")
    if "frame-ancestors 'none'" not in policy and response.headers.get("x-frame-options") != "DENY":
        problems.append("no frame protection")
    return problems


def _api(client: httpx2.Client) -> Check:
    name = "API answers signed in"
    response = client.post("/api/recommend", json=SAMPLE)
    if response.status_code != 200:
        return Check(name, "fail", f"POST /api/recommend answered {response.status_code}: {response.text[:200]}")
    body = response.json()
    if not isinstance(body.get("recommendations"), list):
        return Check(name, "fail", "the answer has no recommendations list")
    if response.headers.get("cache-control") != "no-store":
        return Check(name, "fail", f"Cache-Control is {response.headers.get('cache-control')!r}, not no-store")
    return Check(name, "pass", f"{len(body['recommendations'])} recommendation(s), backend {body.get('backend')}")
