"""Who is calling, as App Service authentication (Easy Auth) passes it on: X-MS-CLIENT-PRINCIPAL, Base64-encoded
JSON {"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}, ...]}. Easy Auth strips these headers from
callers, so they are present only when it set them; BestDev checks them only behind Easy Auth."""

from __future__ import annotations

import base64
import binascii
import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PRINCIPAL_HEADER = "x-ms-client-principal"
# The role claim's type when the principal does not name one (Easy Auth maps a token's "roles" to it).
ROLE_CLAIM = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
MAX_HEADER_CHARS = 32 * 1024  # a principal with hundreds of group claims stays far below this


class Claim(BaseModel):
    model_config = ConfigDict(frozen=True)

    typ: str
    val: str


class Principal(BaseModel):
    """The decoded X-MS-CLIENT-PRINCIPAL."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    auth_type: str = Field("", alias="auth_typ")
    name_type: str = Field("", alias="name_typ")
    role_type: str = Field(ROLE_CLAIM, alias="role_typ")
    claims: tuple[Claim, ...] = ()

    @property
    def roles(self) -> frozenset[str]:
        """App roles granted to the caller (person or application): the role-typed claims, and "roles" as a token
        names them."""
        kinds = {self.role_type or ROLE_CLAIM, "roles"}
        return frozenset(claim.val for claim in self.claims if claim.typ in kinds)

    @property
    def name(self) -> str | None:
        return next((claim.val for claim in self.claims if claim.typ == self.name_type), None)


def read_principal(header: str | None) -> Principal | None:
    """The principal in the header's value; None when absent or unreadable (treated as not signed in)."""
    if not header or len(header) > MAX_HEADER_CHARS:
        return None
    try:
        payload = json.loads(base64.b64decode(header.strip(), validate=True))
        return Principal.model_validate(payload)
    except (binascii.Error, ValueError, ValidationError):
        return None


def encode_principal(principal: Principal) -> str:
    """The header value for a principal, as Easy Auth writes it (used by the Azure-front double and the tests)."""
    body = principal.model_dump(by_alias=True, mode="json")
    return base64.b64encode(json.dumps(body).encode("utf-8")).decode("ascii")
