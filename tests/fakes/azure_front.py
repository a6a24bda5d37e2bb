"""A loopback double of what stands in front of BestDev in Azure: the Functions host and App Service authentication
(Easy Auth), as documented, proxying to the real app over real HTTP.

In request order, as on Flex Consumption (the host answers CORS before authentication, azure-functions-host#7316):
1. CORS, from the platform's list (siteConfig.cors): preflights (OPTIONS with Origin and Access-Control-Request-Method)
   are answered here; other answers from an allowed origin get Access-Control-Allow-Origin (and -Credentials).
2. Easy Auth (authsettingsV2): /.auth/login/aad, its callback, /.auth/me and /.auth/logout; callers' X-MS-* headers
   are stripped; a session cookie (AppServiceAuthSession) or a bearer token makes the caller known; the token's
   audience must be allowed and, with defaultAuthorizationPolicy.allowedApplications, its client too (else 403);
   without a caller, unauthenticatedClientAction decides (Return401, or RedirectToLoginPage) except on
   globalValidation.excludedPaths; a known caller's claims go to the app in X-MS-CLIENT-PRINCIPAL.
3. The host's key check for the HTTP function's auth level: with "function", a function key in `code` or
   x-functions-key, else 401.
The identity provider is a page of this double too (/_idp/authorize): a test picks who signs in; people without an
app role assignment are refused there, as Entra ID refuses them when the app requires assignment.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, unquote, urlencode

import httpx2
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bestdev.api.principal import ROLE_CLAIM, Claim, Principal, encode_principal
from bestdev.api.role_gate import api_paths
from tests.fakes.server import serve_in_thread

SESSION_COOKIE = "AppServiceAuthSession"
ROLE = "BestDev.User"  # the app role infra/modules/entra.bicep declares
SERVICE_CLIENT = "99999999-0000-0000-0000-000000000001"  # a service allowed to call (BESTDEV_ALLOWED_CLIENT_APPS)
PAGE_ORIGIN = "https://bestdev-page.example"  # a page hosted elsewhere (BESTDEV_CORS_ORIGINS)
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"}
NAME_CLAIM = "name"
APP_ID_CLAIMS = ("appid", "azp")


@dataclass(frozen=True)
class Caller:
    """Who a session or token stands for: a person (name) or an application (client id only), with its app roles."""

    object_id: str
    name: str
    client_id: str  # the application that obtained the token (a person's sign-in: the app's own registration)
    roles: tuple[str, ...] = ()
    audience: str = ""

    def principal(self) -> Principal:
        claims = [
            Claim(typ="http://schemas.microsoft.com/identity/claims/objectidentifier", val=self.object_id),
            Claim(typ=NAME_CLAIM, val=self.name),
            Claim(typ="aud", val=self.audience),
            *(Claim(typ=kind, val=self.client_id) for kind in APP_ID_CLAIMS),
            *(Claim(typ=ROLE_CLAIM, val=role) for role in self.roles),
        ]
        return Principal(auth_typ="aad", name_typ=NAME_CLAIM, role_typ=ROLE_CLAIM, claims=tuple(claims))


@dataclass
class AzureFront:
    """The front's configuration, named after the settings it stands for; `app` is the ASGI app to serve."""

    backend: str
    client_id: str = "11111111-2222-3333-4444-555555555555"
    auth_level: Literal["anonymous", "function"] = "anonymous"
    function_keys: tuple[str, ...] = ()
    easy_auth: bool = True
    unauthenticated_action: Literal["Return401", "RedirectToLoginPage"] = "RedirectToLoginPage"
    excluded_paths: tuple[str, ...] = ()  # azure_front() gives the app's API paths, as infra/ does
    allowed_applications: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    cors_credentials: bool = False
    people: dict[str, tuple[str, ...]] = field(default_factory=dict)  # who can sign in, and their app roles
    # JWTs from these issuers are read without checking a signature: the managed identity double's own tokens
    trusted_issuers: tuple[str, ...] = ()
    sessions: dict[str, Caller] = field(default_factory=dict)
    tokens: dict[str, Caller] = field(default_factory=dict)
    seen: list[dict[str, str]] = field(default_factory=list)  # the headers the app received, per request

    @property
    def allowed_audiences(self) -> tuple[str, ...]:
        return (f"api://{self.client_id}", self.client_id)

    def issue_token(self, client_id: str, roles: tuple[str, ...] = (), audience: str | None = None) -> str:
        """A bearer token as Entra ID would issue it to a client (client credentials): opaque here."""
        token = "token-" + secrets.token_urlsafe(16)
        caller = Caller(f"sp-{client_id}", client_id, client_id, roles, audience or f"api://{self.client_id}")
        self.tokens[token] = caller
        return token

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/_idp/authorize", self._idp_page, methods=["GET"]),
                Route("/.auth/login/aad/callback", self._callback, methods=["POST"]),
                Route("/.auth/login/aad", self._login, methods=["GET"]),
                Route("/.auth/me", self._me, methods=["GET"]),
                Route("/.auth/logout", self._logout, methods=["GET"]),
                Route("/.auth/logout/complete", self._signed_out, methods=["GET"]),
                Route(
                    "/{path:path}", self._front, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
                ),
            ]
        )

    # ---- 1. CORS (the host) ----

    def _cors_headers(self, request: Request) -> dict[str, str]:
        origin = request.headers.get("origin")
        if not origin or origin not in self.cors_origins:
            return {}
        headers = {"access-control-allow-origin": origin, "vary": "Origin"}
        if self.cors_credentials:
            headers["access-control-allow-credentials"] = "true"
        return headers

    def _preflight(self, request: Request) -> Response:
        headers = self._cors_headers(request)
        if headers:
            headers["access-control-allow-methods"] = request.headers["access-control-request-method"]
            wanted = request.headers.get("access-control-request-headers")
            if wanted:
                headers["access-control-allow-headers"] = wanted
        return Response(status_code=204, headers=headers)

    # ---- 2. Easy Auth ----

    async def _login(self, request: Request) -> Response:
        back = request.query_params.get("post_login_redirect_uri", "/")
        if not back.startswith("/") or back.startswith("//"):  # no allowedExternalRedirectUrls are configured
            return Response("post_login_redirect_uri must be a path of this app", status_code=400)
        return RedirectResponse("/_idp/authorize?" + urlencode({"state": back}), status_code=302)

    async def _idp_page(self, request: Request) -> Response:
        state = request.query_params.get("state", "/")
        buttons = "".join(
            f'<button type="submit" name="person" value="{quote(name)}">Sign in as {name}</button>'
            for name in self.people
        )
        return HTMLResponse(
            f'<!doctype html><title>Sign in</title><h1>Pick an account</h1><form method="post" '
            f'action="/.auth/login/aad/callback"><input type="hidden" name="state" value="{quote(state)}">'
            f"{buttons}</form>"
        )

    async def _callback(self, request: Request) -> Response:
        form = await request.form()
        name = _unquote(str(form.get("person", "")))
        state = _unquote(str(form.get("state", "/")))
        roles = self.people.get(name)
        if not roles:  # assignment required: Entra ID refuses people the app has no role assignment for
            return HTMLResponse("AADSTS50105: the signed in user is not assigned to a role for the application", 400)
        session = secrets.token_urlsafe(24)
        self.sessions[session] = Caller(f"user-{name}", name, self.client_id, roles, self.client_id)
        response = RedirectResponse(state, status_code=302)
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", path="/")
        return response

    async def _me(self, request: Request) -> Response:
        caller = self._caller(request)
        if caller is None:
            return Response(status_code=401)
        claims = [claim.model_dump() for claim in caller.principal().claims]
        return JSONResponse([{"provider_name": "aad", "user_id": caller.name, "user_claims": claims}])

    async def _logout(self, request: Request) -> Response:
        self.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        back = request.query_params.get("post_logout_redirect_uri", "/.auth/logout/complete")
        response = RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/", 302)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def _signed_out(self, request: Request) -> Response:
        return HTMLResponse("<!doctype html><title>Signed out</title><h1>You have successfully signed out</h1>")

    def _caller(self, request: Request) -> Caller | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            return self.tokens.get(token.strip()) or self._from_jwt(token.strip())
        return self.sessions.get(request.cookies.get(SESSION_COOKIE, ""))

    def _from_jwt(self, token: str) -> Caller | None:
        try:
            payload = token.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError):
            return None
        if not isinstance(claims, dict) or claims.get("iss") not in self.trusted_issuers:
            return None
        client = str(claims.get("appid") or claims.get("azp") or "")
        roles = tuple(str(role) for role in claims.get("roles", ()))
        return Caller(str(claims.get("oid", "")), client, client, roles, str(claims.get("aud", "")))

    def _authenticate(self, request: Request) -> tuple[Caller | None, Response | None]:
        """The caller, or the answer Easy Auth gives instead of passing the request on."""
        has_token = request.headers.get("authorization", "").lower().startswith("bearer ")
        caller = self._caller(request)
        if caller is not None and caller.audience not in self.allowed_audiences:
            caller, has_token = None, True
        if caller is None and has_token:
            return None, Response("invalid token", status_code=401, headers={"www-authenticate": "Bearer"})
        if caller is not None:
            if self.allowed_applications and caller.client_id not in self.allowed_applications:
                return None, Response("the client application is not allowed", status_code=403)
            return caller, None
        if request.url.path in self.excluded_paths:
            return None, None
        if self.unauthenticated_action == "RedirectToLoginPage":
            target = "/.auth/login/aad?" + urlencode({"post_login_redirect_uri": request.url.path})
            return None, RedirectResponse(target, status_code=302)
        return None, Response("You do not have permission to view this directory or page.", status_code=401)

    # ---- the request path ----

    async def _front(self, request: Request) -> Response:
        preflight = {"origin", "access-control-request-method"} <= set(request.headers.keys())
        if request.method == "OPTIONS" and preflight:
            return self._preflight(request)
        cors = self._cors_headers(request)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in HOP_BY_HOP and not name.lower().startswith("x-ms-")
        }
        if self.easy_auth:
            caller, refusal = self._authenticate(request)
            if refusal is not None:
                refusal.headers.update(cors)
                return refusal
            if caller is not None:
                principal = caller.principal()
                headers["x-ms-client-principal"] = encode_principal(principal)
                headers["x-ms-client-principal-name"] = caller.name
                headers["x-ms-client-principal-id"] = caller.object_id
                headers["x-ms-client-principal-idp"] = "aad"
        if self.auth_level == "function" and not self._has_key(request):
            return Response(status_code=401, headers=cors)
        self.seen.append(headers)
        async with httpx2.AsyncClient(base_url=self.backend, timeout=30.0) as client:
            answer = await client.request(
                request.method,
                request.url.path,
                params=request.url.query,
                headers=headers,
                content=await request.body(),
            )
        out = {name: value for name, value in answer.headers.items() if name.lower() not in HOP_BY_HOP}
        out.pop("content-encoding", None)  # httpx2 hands the body over decoded
        out.update(cors)
        return Response(answer.content, status_code=answer.status_code, headers=out)

    def _has_key(self, request: Request) -> bool:
        given = request.headers.get("x-functions-key") or request.query_params.get("code")
        return bool(given) and any(secrets.compare_digest(given or "", key) for key in self.function_keys)


def _unquote(value: str) -> str:
    return unquote(value)


@contextmanager
def azure_front(backend: ASGIApp, **options: Any) -> Iterator[tuple[AzureFront, str]]:
    """The app served on loopback behind the double (both on free ports); yields the double and its base URL.
    Unless told otherwise, the API's paths are excluded from the sign-in redirect, as infra/ excludes them."""
    if "excluded_paths" not in options and isinstance(backend, FastAPI):
        options["excluded_paths"] = tuple(api_paths(backend))
    with serve_in_thread(backend) as backend_url:
        front = AzureFront(backend=backend_url, **options)
        with serve_in_thread(front.app) as url:
            yield front, url
