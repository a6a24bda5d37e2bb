from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev import cli
from bestdev.api.app import create_app
from bestdev.pool import PoolError
from bestdev.settings import load_settings


def test_a_malformed_pool_fails_startup_naming_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text('{"company": "X", "developers": [{"name": "Ann", "skills": 3}]}')
    app = create_app(load_settings(BESTDEV_POOL=str(path)))
    with pytest.raises(PoolError, match=r"pool\.json: developers\[0\] \(Ann\)\.skills"), TestClient(app):
        pass


def test_another_pool_can_be_selected(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text('{"company": "Acme", "developers": [{"name": "Ann Lee", "skills": ["Elixir", "Phoenix"]}]}')
    with TestClient(create_app(load_settings(BESTDEV_POOL=str(path)))) as client:
        body = client.post("/api/recommend", json={"description": "An Elixir and Phoenix backend"}).json()
        assert client.get("/api/health").json()["developers"] == 1
    assert body["recommendations"][0]["name"] == "Ann Lee"
    assert body["recommendations"][0]["matched_skills"] == ["Elixir", "Phoenix"]


def test_the_cli_reports_bad_settings_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BESTDEV_MODEL_API", "nonsense")
    assert cli.main(["serve", "--port", "1"]) == 2
    assert "BESTDEV_MODEL_API" in capsys.readouterr().err
