"""Fixtures for the stores: Azurite and the fake managed identity (session-wide), and one store of each kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bestdev.feedback.factory import build_store
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.feedback.store import FeedbackStore
from bestdev.settings import Settings, load_settings
from tests.fakes.managed_identity import HEADER, FakeManagedIdentity
from tests.fakes.server import serve_in_thread
from tests.feedback.azurite import Azurite, run_azurite


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with run_azurite(tmp_path_factory.mktemp("azurite")) as running:
        yield running


@pytest.fixture(scope="session")
def managed_identity_server() -> Iterator[tuple[FakeManagedIdentity, str]]:
    fake = FakeManagedIdentity()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def managed_identity(
    managed_identity_server: tuple[FakeManagedIdentity, str], monkeypatch: pytest.MonkeyPatch
) -> FakeManagedIdentity:
    """DefaultAzureCredential finds the App Service managed identity, as it does in the Function App."""
    fake, url = managed_identity_server
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"{url}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", HEADER)
    fake.resources.clear()
    return fake


@pytest.fixture
def table_settings(azurite: Azurite, managed_identity: FakeManagedIdentity) -> Settings:
    """azure-tables settings for Azurite, with a table of the test's own."""
    return load_settings(
        BESTDEV_FEEDBACK_STORE="azure-tables",
        BESTDEV_FEEDBACK_TABLE_ENDPOINT=azurite.endpoint,
        BESTDEV_FEEDBACK_TABLE=f"feedback{uuid.uuid4().hex[:12]}",
    )


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
