"""A synchronous TokenCredential, like DefaultAzureCredential, that hands out a fake token or fails."""

from __future__ import annotations

from typing import Any

from azure.core.credentials import AccessToken


class FakeCredential:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        if self.fail:
            raise RuntimeError("no managed identity here")
        return AccessToken("fake-entra-token", 4102444800)
