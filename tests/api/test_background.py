"""create_started_app, what function_app uses: the app and the recommender are built in the background from the
moment the module loads, and the first call (the host runs the app's startup with it) waits for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev.api.background import THREAD_NAME, create_started_app
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


def test_a_failed_app_build_fails_the_calls_with_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the app could not be built")

    monkeypatch.setattr("bestdev.api.app.create_app", broken)
    app = create_started_app(load_settings())
    with pytest.raises(RuntimeError, match="could not be built"), TestClient(app):
        pass


# Run in a fresh interpreter whose threads do not start, so what the module's loading imports is all that is loaded.
_LOAD_ONLY = """
import json, sys, threading
started = []
threading.Thread.start = lambda thread: started.append(thread.name)
import azure.functions
before = set(sys.modules)
import function_app
print(json.dumps({"started": started, "loaded": sorted(set(sys.modules) - before)}))
"""
# What the background thread imports: the web framework, the model SDK and its HTTP client, the feedback store's
# driver, the recommender.
BUILT_IN_THE_BACKGROUND = ("fastapi", "openai", "httpx2", "sqlite3", "bestdev.recommend.local", "bestdev.skills")


def test_loading_function_app_reads_settings_and_pool_and_leaves_the_rest_to_the_background_thread() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AZURE_", "BESTDEV_"))}
    env.update(  # the fine-tuned backend configured (nothing is called while the module loads)
        AZURE_OPENAI_ENDPOINT="http://127.0.0.1:9/",
        AZURE_OPENAI_DEPLOYMENT="bestdev-ft",
        AZURE_OPENAI_API_KEY="test-key",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_ONLY], env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    result = json.loads(out)
    assert result["started"] == [THREAD_NAME]
    loaded = set(result["loaded"])
    assert {"bestdev.settings", "bestdev.pool"} <= loaded  # both fail while the host loads the module
    early = [name for name in loaded if name.startswith(BUILT_IN_THE_BACKGROUND)]
    assert early == []
