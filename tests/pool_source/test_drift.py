"""The deployed model against the live pool: who it never saw, who changed skills, and a daily warning when too
much of the pool is new to it."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.cli import main
from bestdev.pool import Pool, TrainedPool, drift
from bestdev.pool_source.drift import WARN_EVERY_SECONDS, DriftWatch
from bestdev.settings import Settings


def pool_of(*developers: tuple[str, list[Any]]) -> Pool:
    return Pool.model_validate(
        {"company": "X", "developers": [{"name": name, "skills": skills} for name, skills in developers]}
    )


TRAINED_ON = pool_of(("Ann", ["Go"]), ("Ben", ["Rust"]), ("Cid", ["Python"]))
LIVE = pool_of(("ann", ["Go"]), ("Ben", ["Rust", "Go"]), ("Cid", [{"name": "Python", "level": 4}]), ("Dee", ["C"]))


def test_drift_counts_the_new_and_the_changed() -> None:
    found = drift(TrainedPool.of(TRAINED_ON), LIVE)
    assert (found.new, found.changed, found.developers) == (1, 2, 4)  # Dee is new; Ben and Cid changed
    assert found.new_share == 0.25
    assert drift(TrainedPool.of(LIVE), LIVE).model_dump(exclude={"trained_version"}) == {
        "new": 0,
        "changed": 0,
        "developers": 4,
    }


def test_the_warning_comes_at_most_once_a_day_and_only_past_the_share(caplog: pytest.LogCaptureFixture) -> None:
    watch = DriftWatch(TrainedPool.of(TRAINED_ON), share=0.2)
    with caplog.at_level(logging.WARNING):
        assert watch.warn_if_due(LIVE, now=0.0)
        assert not watch.warn_if_due(LIVE, now=WARN_EVERY_SECONDS - 1)
        assert watch.warn_if_due(LIVE, now=WARN_EVERY_SECONDS + 1)
    assert "pool drift: 1 of 4 developers are new to the fine-tuned model" in caplog.text
    assert not DriftWatch(TrainedPool.of(TRAINED_ON), share=0.25).warn_if_due(LIVE, now=0.0)
    assert DriftWatch(None, share=0.0).of(LIVE) is None


def test_dataset_build_records_the_pool_and_health_shows_the_drift(
    tmp_path: Path,
    model_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    trained_on = tmp_path / "trained-on.json"
    trained_on.write_text(json.dumps(TRAINED_ON.document()))
    assert main(["dataset", "build", "--pool", str(trained_on), "--out", "data", "--examples", "40"]) == 0
    manifest = json.loads((tmp_path / "data" / "dataset.json").read_text())
    assert manifest["pool_version"] == TRAINED_ON.version
    assert manifest["trained_pool"] == TrainedPool.of(TRAINED_ON).model_dump()

    live = tmp_path / "live.json"
    live.write_text(json.dumps(LIVE.document()))
    settings = model_settings(
        BESTDEV_POOL=str(live),
        BESTDEV_TRAINED_POOL=str(tmp_path / "data" / "dataset.json"),
        BESTDEV_POOL_DRIFT_SHARE=0.2,
    )
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        pool = client.get("/api/health").json()["pool"]
    assert pool["drift"] == {
        "trained_version": TRAINED_ON.version,
        "new_developers": 1,
        "changed_skills": 2,
        "new_share": 0.25,
    }
    assert caplog.text.count("pool drift:") == 1


def test_without_a_model_or_a_record_health_shows_no_drift(
    local_client: TestClient, model_settings: Callable[..., Settings]
) -> None:
    assert local_client.get("/api/health").json()["pool"]["drift"] is None
    with TestClient(create_app(model_settings())) as client:
        assert client.get("/api/health").json()["pool"]["drift"] is None
