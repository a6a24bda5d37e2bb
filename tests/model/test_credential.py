"""One Azure credential per process: the model client, the feedback table and the retirement lookup of a started
app all take their tokens from one DefaultAzureCredential, made on first need and closed when the app stops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.background import create_started_app
from bestdev.model.credential import SharedCredential
from bestdev.settings import Settings, load_settings
from tests.fakes.credential import FakeCredential
from tests.fakes.managed_identity import FakeManagedIdentity
from tests.fakes.openai_model import FakeModel, Reply

CHEN = " Chen Wei, because they have experience with React Native.<END_OUTPUT>"
UNREACHABLE_TABLES = "https://127.0.0.1:9/"  # the discard port: the table store's calls fail after its token


class Made:
    """Counts the DefaultAzureCredentials the process makes, and which of them were closed."""

    def __init__(self, make: Callable[[Settings], Any]) -> None:
        self.make = make
        self.credentials: list[Any] = []
        self.closed: list[Any] = []

    def __call__(self, settings: Settings) -> Any:
        credential = self.make(settings)
        real_close = credential.close

        def close() -> None:
            self.closed.append(credential)
            real_close()

        credential.close = close
        self.credentials.append(credential)
        return credential


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch, managed_identity: FakeManagedIdentity) -> Made:
    from bestdev.model import client

    counting = Made(client.default_credential)
    monkeypatch.setattr(client, "default_credential", counting)
    return counting


def test_the_app_makes_one_credential_for_model_table_and_lookup_and_closes_it(
    made: Made, managed_identity: FakeManagedIdentity, fake_model_url: str, fake_model: FakeModel
) -> None:
    settings = load_settings(
        AZURE_OPENAI_ENDPOINT=fake_model_url,
        AZURE_OPENAI_DEPLOYMENT="bestdev-ft",
        BESTDEV_FINE_TUNED_MODEL="gpt-4.1-mini-2025-04-14.ft-1",
        BESTDEV_FEEDBACK_STORE="azure-tables",
        BESTDEV_FEEDBACK_TABLE_ENDPOINT=UNREACHABLE_TABLES,
        BESTDEV_MODEL_MAX_RETRIES=0,
    )
    fake_model.script(Reply.answer(CHEN))
    with TestClient(create_started_app(settings)) as client:
        body = client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()
        assert body["backend"] == "azure-openai"
    asked = {resource.rstrip("/") for resource in managed_identity.resources}
    assert {"https://cognitiveservices.azure.com", "https://storage.azure.com"} <= asked
    assert len(made.credentials) == 1
    assert made.closed == made.credentials


def test_a_process_that_never_asks_for_a_token_makes_no_credential(made: Made) -> None:
    with TestClient(create_started_app(load_settings())) as client:
        assert client.post("/api/recommend", json={"description": "A React Native app"}).status_code == 200
    assert made.credentials == []


def test_a_closed_shared_credential_makes_a_new_one_when_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fakes: list[FakeCredential] = []

    def make(settings: Settings) -> FakeCredential:
        fakes.append(FakeCredential())
        return fakes[-1]

    monkeypatch.setattr("bestdev.model.client.default_credential", make)
    shared = SharedCredential(load_settings())
    assert not shared.made
    shared.get_token("scope-a")
    shared.get_token("scope-b")
    assert len(fakes) == 1
    assert fakes[0].scopes == [("scope-a",), ("scope-b",)]
    shared.close()
    assert not shared.made
    shared.get_token("scope-c")
    assert len(fakes) == 2
