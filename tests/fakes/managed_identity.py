"""A stand-in for the App Service managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER), so the real
DefaultAzureCredential gets its tokens over loopback HTTP.

The tokens are unsigned JWTs with the claims Azurite's `--oauth basic` checks (issuer, audience, lifetime): it
does not verify signatures, so the whole keyless path (credential -> bearer token -> HTTPS -> table service) runs.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

HEADER = "fake-identity-header"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TOKEN_SECONDS = 3600


def _segment(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def token_for(resource: str, now: int | None = None, extra: dict[str, Any] | None = None) -> str:
    """An unsigned JWT for `resource`; `extra` claims (an app's roles, its appid) go in too."""
    issued = int(time.time()) if now is None else now
    claims = {
        "aud": resource.removesuffix("/.default").rstrip("/"),
        "iss": f"https://sts.windows.net/{TENANT}/",
        "iat": issued - 60,
        "nbf": issued - 60,
        "exp": issued + TOKEN_SECONDS,
        "oid": "00000000-0000-0000-0000-000000000001",
        "tid": TENANT,
        **(extra or {}),
    }
    return f"{_segment({'alg': 'RS256', 'typ': 'JWT'})}.{_segment(claims)}.bm90LXNpZ25lZA"


class FakeManagedIdentity:
    def __init__(self, claims: dict[str, Any] | None = None) -> None:
        self.claims = claims or {}  # what the identity's tokens say besides audience and lifetime
        self.resources: list[str] = []
        self.app = FastAPI()
        self.app.get("/msi/token")(self._token)

    async def _token(self, request: Request) -> JSONResponse:
        if request.headers.get("x-identity-header") != HEADER:
            return JSONResponse({"error": "missing or wrong X-IDENTITY-HEADER"}, status_code=401)
        resource = request.query_params.get("resource", "")
        self.resources.append(resource)
        expires = int(time.time()) + TOKEN_SECONDS
        return JSONResponse(
            {
                "access_token": token_for(resource, extra=self.claims),
                "expires_on": str(expires),
                "resource": resource,
                "token_type": "Bearer",
            }
        )
