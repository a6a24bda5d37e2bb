"""A second lock behind App Service authentication: with BESTDEV_REQUIRED_ROLE set, every request but the health
probe must carry a principal (X-MS-CLIENT-PRINCIPAL) holding that app role, so a mistake in the platform's
configuration does not open the API. 401 without a principal, 403 without the role."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from bestdev.api.errors import error_response
from bestdev.api.principal import PRINCIPAL_HEADER, read_principal

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/api/health"})  # probes: no data about people or projects
_HEADER = PRINCIPAL_HEADER.encode("latin-1")


class RoleGateMiddleware:
    def __init__(self, app: ASGIApp, required_role: str) -> None:
        self.app = app
        self.required_role = required_role

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._open(scope):
            await self.app(scope, receive, send)
            return
        value = dict(scope.get("headers", ())).get(_HEADER)
        principal = read_principal(value.decode("latin-1") if value is not None else None)
        if principal is None:
            response = error_response(401, "unauthorized", "Sign in first: this call needs a signed-in caller.")
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
