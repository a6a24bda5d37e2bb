"""The service examples in examples/, run as a service would run them, against the Azure-front double: the Python
one with azure-identity (the managed identity double stands in for client credentials), the curl one with a fake
`az` on PATH that prints a token."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.azure_front import ROLE, SERVICE_CLIENT, AzureFront
from tests.fakes.managed_identity import HEADER, TENANT, FakeManagedIdentity
from tests.fakes.server import serve_in_thread

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_python_example_gets_a_token_and_calls(deployed: tuple[AzureFront, str]) -> None:
    front, url = deployed
    front.trusted_issuers = (f"https://sts.windows.net/{TENANT}/",)
    identity = FakeManagedIdentity(claims={"appid": SERVICE_CLIENT, "roles": [ROLE]})
    with serve_in_thread(identity.app) as identity_url:
        env = {**os.environ, "IDENTITY_ENDPOINT": f"{identity_url}/msi/token", "IDENTITY_HEADER": HEADER}
        result = subprocess.run(
            [
                sys.executable,
                str(EXAMPLES / "call_bestdev.py"),
                url,
                front.client_id,
                "A React Native app with Firebase",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Chen Wei: ")
    assert identity.resources == [front.client_id]


def test_the_python_example_says_why_it_was_refused(deployed: tuple[AzureFront, str]) -> None:
    front, url = deployed
    front.trusted_issuers = (f"https://sts.windows.net/{TENANT}/",)
    identity = FakeManagedIdentity(claims={"appid": "some-other-app", "roles": [ROLE]})
    with serve_in_thread(identity.app) as identity_url:
        env = {**os.environ, "IDENTITY_ENDPOINT": f"{identity_url}/msi/token", "IDENTITY_HEADER": HEADER}
        result = subprocess.run(
            [sys.executable, str(EXAMPLES / "call_bestdev.py"), url, front.client_id, "Python"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "BestDev answered 403" in result.stderr


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_example(deployed: tuple[AzureFront, str], tmp_path: Path) -> None:
    front, url = deployed
    token = front.issue_token(SERVICE_CLIENT, roles=(ROLE,))
    fake_az = tmp_path / "az"
    fake_az.write_text(
        f'#!/bin/sh\n[ "$1 $2 $3 $4" = "account get-access-token --resource {front.client_id}" ] '
        f"|| exit 3\necho {token}\n"
    )
    fake_az.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["sh", str(EXAMPLES / "call_bestdev.sh"), url, front.client_id, "A React Native app with Firebase"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendations"][0]["name"] == "Chen Wei"
