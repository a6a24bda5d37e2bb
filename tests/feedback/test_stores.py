"""The store contract, for both implementations: SQLite directly, Azure Tables through Azurite (keyless, HTTPS)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bestdev.feedback.records import Answer, Decision, decision_id
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.feedback.store import FeedbackStore

ROOT = Path(__file__).resolve().parents[2]

NOW = datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)


def answer(request_id: str, at: datetime = NOW) -> Answer:
    return Answer(request_id, "ab" * 32, ("Chen Wei", "Ana Lima"), "azure-openai", at)


def decision(request_id: str, developer: str = "Chen Wei", at: datetime = NOW, **changes: object) -> Decision:
    values: dict[str, object] = {
        "id": decision_id(request_id, developer.casefold()),
        "request_id": request_id,
        "description": "Une appli React Native — Firebase, « café » ☕",
        "developer": developer,
        "verdict": "good",
        "note": None,
        "backend": "azure-openai",
        "answered": ("Chen Wei", "Ana Lima"),
        "created_at": at,
    }
    return Decision(**{**values, **changes})  # type: ignore[arg-type]


def test_an_answer_round_trips(any_store: FeedbackStore) -> None:
    any_store.remember(answer("req-1"))
    assert any_store.answer("req-1") == answer("req-1")
    assert any_store.answer("req-2") is None


def test_remembering_again_replaces_the_answer(any_store: FeedbackStore) -> None:
    any_store.remember(answer("req-1"))
    later = Answer("req-1", "cd" * 32, ("Ana Lima",), "local", NOW + timedelta(minutes=1))
    any_store.remember(later)
    assert any_store.answer("req-1") == later


def test_decisions_round_trip_oldest_first(any_store: FeedbackStore) -> None:
    second = decision("req-2", "Ana Lima", NOW + timedelta(seconds=1), verdict="chosen", note="knows the client")
    first = decision("req-1")
    any_store.save(second)
    any_store.save(first)
    assert list(any_store.decisions()) == [first, second]


def test_saving_the_same_id_replaces_the_verdict(any_store: FeedbackStore) -> None:
    any_store.save(decision("req-1"))
    any_store.save(decision("req-1", verdict="wrong"))
    assert [item.verdict for item in any_store.decisions()] == ["wrong"]


def test_prune_deletes_only_what_is_older(any_store: FeedbackStore) -> None:
    old, new = NOW - timedelta(days=31), NOW - timedelta(days=29)
    any_store.remember(answer("old", old))
    any_store.remember(answer("new", new))
    any_store.save(decision("old", at=old))
    any_store.save(decision("new", at=new))
    assert any_store.prune(NOW - timedelta(days=30)) == 2
    assert any_store.answer("old") is None
    assert any_store.answer("new") is not None
    assert [item.request_id for item in any_store.decisions()] == ["new"]
    assert any_store.prune(NOW - timedelta(days=30)) == 0


def test_many_writers_at_once_lose_nothing(any_store: FeedbackStore) -> None:
    count = 200
    with ThreadPoolExecutor(max_workers=32) as workers:
        list(
            workers.map(
                lambda n: any_store.save(decision(f"req-{n}", at=NOW + timedelta(microseconds=n))), range(count)
            )
        )
    assert [item.request_id for item in any_store.decisions()] == [f"req-{n}" for n in range(count)]


WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from bestdev.feedback.records import Decision
from bestdev.feedback.sqlite_store import SqliteStore

store = SqliteStore(Path(sys.argv[1]))
worker = sys.argv[2]
start = datetime(2026, 11, 30, tzinfo=UTC)
for n in range(int(sys.argv[3])):
    store.save(Decision(f"{worker}-{n}", f"{worker}-{n}", "Go", "Mikko Heikkinen", "chosen", None, "local", (),
                        start + timedelta(microseconds=n)))
store.close()
"""


def test_many_processes_on_one_sqlite_file_lose_nothing(tmp_path: Path) -> None:
    """As several app instances (or `bestdev serve` workers) sharing the file would."""
    path, processes, each = tmp_path / "shared.sqlite3", 4, 50
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{worker}", str(each)], env=env)
        for worker in range(processes)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0] * processes
    store = SqliteStore(path)
    ids = {decision.id for decision in store.decisions()}
    store.close()
    assert ids == {f"w{worker}-{n}" for worker in range(processes) for n in range(each)}


def test_closing_the_sqlite_store_while_writes_run_loses_and_breaks_nothing(tmp_path: Path) -> None:
    """Shutdown can close the store while a cancelled request's write still runs in its worker thread."""
    store = SqliteStore(tmp_path / "feedback.sqlite3")
    count = 100
    with ThreadPoolExecutor(max_workers=8) as workers:
        writes = [
            workers.submit(store.save, decision(f"req-{n}", at=NOW + timedelta(microseconds=n))) for n in range(count)
        ]
        for _ in range(20):
            store.close()
        for write in writes:
            write.result()
    assert len(list(store.decisions())) == count
    store.close()
