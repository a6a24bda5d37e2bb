"""Chooses the store the settings name: an SQLite file (`sqlite:///path`) or Azure Tables (`azure-tables`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.feedback.store import FeedbackStore
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

SQLITE_PREFIX = "sqlite:///"


def build_store(settings: Settings, credential: TokenCredential | None = None, **client_options: Any) -> FeedbackStore:
    """No I/O here: the SQLite file and the Azure table are opened on first use."""
    if settings.feedback_store == "azure-tables":
        from bestdev.feedback.table_store import TableStore
        from bestdev.model.client import default_credential

        assert settings.feedback_table_endpoint is not None  # the settings check it
        return TableStore(
            settings.feedback_table_endpoint,
            settings.feedback_table,
            credential or default_credential(settings),
            **client_options,
        )
    return SqliteStore(Path(settings.feedback_store.removeprefix(SQLITE_PREFIX)))
