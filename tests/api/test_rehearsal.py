"""The startup's rehearsal request: one request through the whole app, answered without the model."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.api.background import create_started_app
from bestdev.recommend.base import Outcome
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from tests.fakes.openai_model import FakeModel, Reply

CHEN = " Chen Wei, because they have experience with React Native.<END_OUTPUT>"


@pytest.mark.parametrize("create", [create_app, create_started_app])
def test_startup_rehearses_without_the_model_and_then_answers_with_it(
    create: Callable[[Settings], FastAPI],
    model_settings: Callable[..., Settings],
    fake_model: FakeModel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO")
    fake_model.script(Reply.answer(CHEN))
    with TestClient(create(model_settings())) as client:
        assert fake_model.calls == []  # the rehearsal never reached the model
        body = client.post("/api/recommend", json={"description": "A React Native app with Firebase"}).json()
    assert body["backend"] == "azure-openai"
    assert len(fake_model.calls) == 1
    rehearsed = [record for record in caplog.records if getattr(record, "request_id", None) == "warm-up"]
    assert any(record.name == "bestdev.api.routes" for record in rehearsed)
    calls = [r.getMessage() for r in rehearsed if r.name == "bestdev.api.routes" and "description" in r.getMessage()]
    routes = {message.split()[0] for message in calls}
    assert routes == {"recommend", "team"}  # both POST routes take their first paths before real requests


def test_a_failed_rehearsal_is_logged_not_raised(
    model_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(LocalRecommender):
        async def recommend(self, description: str, top_k: int, start: object = None) -> Outcome:
            raise RuntimeError("no answer")

    monkeypatch.setattr("bestdev.api.startup.build_recommender", lambda settings, pool, credential: Broken(pool))
    with TestClient(create_app(model_settings())) as client:  # the startup goes on
        assert client.get("/api/health").status_code == 200
    assert "app warm-up got HTTP 500" in caplog.text
