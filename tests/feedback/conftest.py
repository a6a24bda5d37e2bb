"""Fixtures for the stores: one store of each kind (Azurite and the fake managed identity: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bestdev.feedback.factory import build_store
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.feedback.store import FeedbackStore
from bestdev.settings import Settings
from tests.feedback.azurite import Azurite


@pytest.fixture(params=["sqlite", "azure-tables"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackStore]:
    """Each implementation in turn, as the product builds it."""
    store: FeedbackStore
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "feedback.sqlite3")
    else:
        settings: Settings = request.getfixturevalue("table_settings")
        azurite: Azurite = request.getfixturevalue("azurite")
        store = build_store(settings, connection_verify=str(azurite.certificate))
    yield store
    store.close()
