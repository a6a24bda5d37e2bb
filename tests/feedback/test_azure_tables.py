"""The Azure Tables path end to end against Azurite: the API keeps answers and decisions there, keyless."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.feedback.errors import StoreUnavailable
from bestdev.feedback.factory import build_store
from bestdev.feedback.records import description_hash
from bestdev.feedback.table_store import TableStore
from bestdev.settings import Settings, SettingsError, load_settings
from tests.api.test_serve_logs import free_port
from tests.fakes.managed_identity import FakeManagedIdentity
from tests.feedback.azurite import Azurite

DESCRIPTION = "A React Native app with Firebase for a coffee chain"


def test_the_api_round_trips_feedback_through_azure_tables(
    table_settings: Settings, azurite: Azurite, managed_identity: FakeManagedIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(azurite.certificate))  # trust Azurite's self-signed certificate
    with TestClient(create_app(table_settings), raise_server_exceptions=False) as client:
        body = client.post("/api/recommend", json={"description": DESCRIPTION}).json()
        first = body["recommendations"][0]["name"]
        response = client.post(
            "/api/feedback",
            json={"request_id": body["request_id"], "description": DESCRIPTION, "developer": first, "verdict": "good"},
        )
        assert response.status_code == 201, response.text
        mismatch = client.post(
            "/api/feedback",
            json={"request_id": body["request_id"], "description": "Other", "developer": first, "verdict": "good"},
        )
        assert mismatch.status_code == 409
    store = build_store(table_settings)  # a new client, as another instance or a restart would have
    try:
        kept = store.answer(body["request_id"])
        assert kept is not None
        assert kept.description_hash == description_hash(DESCRIPTION)
        [decision] = list(store.decisions())
        assert (decision.id, decision.developer, decision.description) == (response.json()["id"], first, DESCRIPTION)
    finally:
        store.close()
    assert set(managed_identity.resources) == {"https://storage.azure.com"}  # keyless: Entra tokens only


def test_a_table_service_that_is_down_is_503_and_recommend_still_answers(
    table_settings: Settings, managed_identity: FakeManagedIdentity
) -> None:
    down = f"https://127.0.0.1:{free_port()}/devstoreaccount1"
    settings = load_settings(
        BESTDEV_FEEDBACK_STORE="azure-tables",
        BESTDEV_FEEDBACK_TABLE_ENDPOINT=down,
        BESTDEV_FEEDBACK_TABLE=table_settings.feedback_table,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        body = client.post("/api/recommend", json={"description": DESCRIPTION})
        assert body.status_code == 200
        response = client.post(
            "/api/feedback",
            json={
                "request_id": body.json()["request_id"],
                "description": DESCRIPTION,
                "developer": "Chen Wei",
                "verdict": "chosen",
            },
        )
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "feedback_store_unavailable"


def test_an_untrusted_certificate_is_store_unavailable_not_a_crash(table_settings: Settings) -> None:
    store = build_store(table_settings)  # no CA bundle: Azurite's certificate is not trusted
    assert isinstance(store, TableStore)
    with pytest.raises(StoreUnavailable, match="could not read the answer"):
        store.answer("anything")
    store.close()


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"BESTDEV_FEEDBACK_STORE": "azure-tables"}, "BESTDEV_FEEDBACK_TABLE_ENDPOINT"),
        (
            {"BESTDEV_FEEDBACK_STORE": "azure-tables", "BESTDEV_FEEDBACK_TABLE_ENDPOINT": "http://127.0.0.1:1/acct"},
            "https://",
        ),
        ({"BESTDEV_FEEDBACK_STORE": "postgres://db"}, "sqlite:///PATH or azure-tables"),
        ({"BESTDEV_FEEDBACK_DAYS": "0"}, "BESTDEV_FEEDBACK_DAYS"),
        ({"BESTDEV_FEEDBACK_TABLE": "no-dashes"}, "BESTDEV_FEEDBACK_TABLE"),
    ],
)
def test_feedback_settings_fail_fast_naming_the_variable(values: dict[str, str], needle: str) -> None:
    with pytest.raises(SettingsError, match=needle):
        load_settings(**values)
