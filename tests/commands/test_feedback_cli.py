"""`bestdev feedback export|prune` on either store: SQLite, and Azure Tables through Azurite."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.feedback.factory import build_store
from bestdev.feedback.records import Answer, Decision
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.feedback.store import FeedbackStore
from bestdev.settings import Settings
from tests.feedback.azurite import Azurite

NOW = datetime.now(UTC)


def fill(store: FeedbackStore) -> None:
    for name, age in (("old", 40), ("new", 1)):
        at = NOW - timedelta(days=age)
        store.remember(Answer(name, "0" * 64, ("Chen Wei",), "local", at))
        store.save(Decision(f"id-{name}", name, "React Native", "Chen Wei", "good", "fine", "local", ("Chen Wei",), at))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no local.settings.json
    return tmp_path


def test_export_then_prune_on_sqlite(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workdir / "feedback.sqlite3"
    monkeypatch.setenv("BESTDEV_FEEDBACK_STORE", f"sqlite:///{path}")
    store = SqliteStore(path)
    fill(store)
    out = workdir / "out" / "feedback.jsonl"
    assert main(["feedback", "export", "--out", str(out)]) == 0
    assert [json.loads(line)["request_id"] for line in out.read_text().splitlines()] == ["old", "new"]
    assert main(["feedback", "prune"]) == 0
    assert "deleted 2 entries older than 30 days" in capsys.readouterr().out
    assert [decision.request_id for decision in store.decisions()] == ["new"]
    assert main(["feedback", "prune", "--days", "1"]) == 0
    assert "deleted 2 entries older than 1 days" in capsys.readouterr().out
    store.close()


def test_export_and_prune_on_azure_tables(
    workdir: Path,
    table_settings: Settings,
    azurite: Azurite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for variable, value in {
        "BESTDEV_FEEDBACK_STORE": "azure-tables",
        "BESTDEV_FEEDBACK_TABLE_ENDPOINT": azurite.endpoint,
        "BESTDEV_FEEDBACK_TABLE": table_settings.feedback_table,
        "REQUESTS_CA_BUNDLE": str(azurite.certificate),
    }.items():
        monkeypatch.setenv(variable, value)
    store = build_store(table_settings)
    fill(store)
    out = workdir / "feedback.jsonl"
    assert main(["feedback", "export", "--out", str(out)]) == 0
    assert f"wrote 2 decisions from azure-tables {azurite.endpoint}/{table_settings.feedback_table}" in (
        capsys.readouterr().out
    )
    assert [json.loads(line)["note"] for line in out.read_text().splitlines()] == ["fine", "fine"]
    assert main(["feedback", "prune"]) == 0
    assert "deleted 2 entries" in capsys.readouterr().out
    assert store.answer("old") is None
    assert store.answer("new") is not None
    store.close()


def test_an_unreachable_store_is_a_clear_error(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = workdir / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("BESTDEV_FEEDBACK_STORE", f"sqlite:///{blocker}/feedback.sqlite3")
    assert main(["feedback", "export", "--out", str(workdir / "x.jsonl")]) == 2
    assert "cannot be opened" in capsys.readouterr().err
    assert not (workdir / "x.jsonl").exists()
