"""create_started_app, what function_app uses: the recommender is built in the background from the moment the
module loads, and the app's startup (run by the host with the first request) waits for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_started_app
from bestdev.pool import PoolError
from bestdev.settings import Settings, load_settings
from tests.fakes.openai_model import FakeModel, Reply


def test_the_model_backend_is_built_in_the_background_and_answers(
    model_settings: Callable[..., Settings], fake_model: FakeModel
) -> None:
    app = create_started_app(model_settings())
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native.<END_OUTPUT>"))
    with TestClient(app) as client:  # the startup waits for the build
        assert fake_model.calls == []  # building (and warming up) the client sent nothing to the model
        body = client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()
    assert body["backend"] == "azure-openai"
    assert body["recommendations"][0]["name"] == "Chen Wei"
    assert len(fake_model.calls) == 1


def test_a_malformed_pool_fails_when_the_module_loads(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text('{"company": "X", "developers": [{"name": "Ann", "skills": 3}]}')
    with pytest.raises(PoolError, match=r"pool\.json: developers\[0\] \(Ann\)\.skills"):
        create_started_app(load_settings(BESTDEV_POOL=str(path)))


def test_a_failed_build_fails_the_startup_with_its_error(
    model_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise ValueError("AZURE_OPENAI_ENDPOINT is not usable")

    monkeypatch.setattr("bestdev.api.startup.build_recommender", broken)
    app = create_started_app(model_settings())
    with pytest.raises(ValueError, match="AZURE_OPENAI_ENDPOINT"), TestClient(app):
        pass
