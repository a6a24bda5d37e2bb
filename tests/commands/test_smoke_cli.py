"""`bestdev smoke URL` against the Azure-front double: its lines, its exit code, and a token from azure-identity."""

from __future__ import annotations

import pytest

from bestdev.cli import main
from tests.fakes.azure_front import PAGE_ORIGIN, ROLE, SERVICE_CLIENT, AzureFront
from tests.fakes.managed_identity import HEADER, TENANT, FakeManagedIdentity
from tests.fakes.server import serve_in_thread


def test_a_good_deployment_exits_0_with_a_line_per_check(
    deployed: tuple[AzureFront, str], capsys: pytest.CaptureFixture[str]
) -> None:
    front, url = deployed
    token = front.issue_token(SERVICE_CLIENT, roles=(ROLE,))
    assert main(["smoke", url, "--token", token, "--origin", PAGE_ORIGIN]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7
    assert all(line.startswith("PASS") for line in lines)


def test_a_failing_check_exits_1_and_says_how_many(
    deployed: tuple[AzureFront, str], capsys: pytest.CaptureFixture[str]
) -> None:
    front, url = deployed
    token = front.issue_token("not-an-allowed-client", roles=(ROLE,))
    assert main(["smoke", url, "--token", token]) == 1
    captured = capsys.readouterr()
    assert "FAIL  API answers signed in: POST /api/recommend answered 403" in captured.out
    assert "SKIP  preflight from an allowed origin" in captured.out
    assert "bestdev: 3 of 7 smoke checks failed" in captured.err


def test_client_id_gets_a_token_with_azure_identity(
    deployed: tuple[AzureFront, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a service runs it: DefaultAzureCredential (here the managed identity double) asks for the registration."""
    front, url = deployed
    front.trusted_issuers = (f"https://sts.windows.net/{TENANT}/",)
    identity = FakeManagedIdentity(claims={"appid": SERVICE_CLIENT, "roles": [ROLE]})
    with serve_in_thread(identity.app) as identity_url:
        monkeypatch.setenv("IDENTITY_ENDPOINT", f"{identity_url}/msi/token")
        monkeypatch.setenv("IDENTITY_HEADER", HEADER)
        assert main(["smoke", url, "--client-id", front.client_id]) == 0
    assert identity.resources == [front.client_id]
    assert "PASS  API answers signed in" in capsys.readouterr().out
