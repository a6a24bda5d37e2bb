"""A stand-in for an azure-identity credential (managed identity or developer login) that records its scopes."""

from __future__ import annotations

from typing import Any

from azure.core.credentials import AccessToken


class FakeCredential:
    def __init__(self, fail: bool = False, token: str = "fake-entra-token") -> None:
        self.fail = fail
        self.token = token
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        if self.fail:
            raise RuntimeError("no managed identity here; please run az login")
        return AccessToken(self.token, 4102444800)
