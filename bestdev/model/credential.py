"""The process's one Azure credential: every Azure client of a process (the model, the feedback table, the
retirement lookup) gets its tokens from the same one, made when the first token is asked for and closed once at
shutdown. Making it does no I/O; a process that never needs Azure never builds a DefaultAzureCredential."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import AccessToken, TokenCredential


class SharedCredential:
    """A TokenCredential that builds the real one (DefaultAzureCredential) on first use, thread-safely."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._credential: TokenCredential | None = None
        self._lock = threading.Lock()

    @property
    def made(self) -> bool:
        return self._credential is not None

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return self._real().get_token(*scopes, claims=claims, tenant_id=tenant_id, enable_cae=enable_cae, **kwargs)

    def _real(self) -> TokenCredential:
        with self._lock:
            if self._credential is None:
                from bestdev.model.client import default_credential

                self._credential = default_credential(self.settings)
            return self._credential

    def close(self) -> None:
        """Closes the real credential if one was made (its HTTP sessions). An app started again makes a new one."""
        with self._lock:
            credential, self._credential = self._credential, None
        close = getattr(credential, "close", None)
        if close is not None:
            close()
