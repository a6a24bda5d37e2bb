"""A second lock behind App Service authentication: with BESTDEV_REQUIRED_ROLE set, every request but the health
probe must carry a principal (X-MS-CLIENT-PRINCIPAL) holding that app role, so a mistake in the platform's
configuration does not open the API. Without a principal a browser opening a page is sent to sign in and any other
caller gets 401; without the role, 403.

In Azure the platform sends people to sign in on the page's paths itself and passes the API's paths on to this
check (`api_paths`: App Service authentication's `excludedPaths`), so that a service without a token gets this 401
rather than a redirect it cannot follow."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from bestdev.api.docs_page import DOCS_PATH
from bestdev.api.errors import error_response
from bestdev.api.principal import PRINCIPAL_HEADER, read_principal

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/api/health"})  # probes: no data about people or projects
SIGN_IN_PATH = "/.auth/login/aad"  # App Service authentication's sign-in with Entra ID
API_PREFIX = "/api/"
PAGES_UNDER_API = frozenset({DOCS_PATH})  # HTML for people, signed in like the page
_HEADER = PRINCIPAL_HEADER.encode("latin-1")


def api_paths(app: FastAPI) -> list[str]:
    """The paths programs call (JSON in, JSON out): never a redirect to sign in, 401 instead. Sorted, once each."""
    return sorted({path for route in app.routes if (path := _path(route)) and _is_api(path)})


def _path(route: BaseRoute) -> str:
    return str(getattr(route, "path", ""))


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIX) and path not in PAGES_UNDER_API


def sign_in_url(back_to: str) -> str:
    """App Service authentication's sign-in, bringing the person back to `back_to` (a path of this app) after."""
    return f"{SIGN_IN_PATH}?post_login_redirect_uri={quote(back_to, safe='/')}"


class RoleGateMiddleware:
    def __init__(self, app: ASGIApp, required_role: str) -> None:
        self.app = app
        self.required_role = required_role

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._open(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        value = headers.get(_HEADER)
        principal = read_principal(value.decode("latin-1") if value is not None else None)
        response: Response
        if principal is None and _is_navigation(scope, headers):
            response = RedirectResponse(sign_in_url(scope["path"]), status_code=302)
        elif principal is None:
            response = error_response(401, "unauthorized", "Sign in first: this call needs a signed-in caller.")
            response.headers["www-authenticate"] = "Bearer"
        elif self.required_role not in principal.roles:
            log.warning("refused a caller without the app role %s", self.required_role)
            response = error_response(
                403, "forbidden", f"Signed in, but without the app role {self.required_role} that BestDev requires."
            )
        else:
            await self.app(scope, receive, send)
            return
        response.headers["cache-control"] = "no-store"  # a refusal of the page must not be cached either
        await response(scope, receive, send)

    @staticmethod
    def _open(scope: Scope) -> bool:
        method = scope["method"]
        return method == "OPTIONS" or (scope["path"] in OPEN_PATHS and method in {"GET", "HEAD"})


def _is_navigation(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """A browser opening one of the page's paths (not a script's call, not a program): it can follow a sign-in."""
    if scope["method"] not in {"GET", "HEAD"} or _is_api(scope["path"]):
        return False
    mode = headers.get(b"sec-fetch-mode")
    if mode is not None:
        return mode == b"navigate"
    return b"text/html" in headers.get(b"accept", b"")
