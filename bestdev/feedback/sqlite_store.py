"""The embedded store: one SQLite file, in WAL mode, safe for many threads and processes writing at once.

Each operation opens its own connection in its own thread; writers wait for each other (busy timeout) instead of
failing, and every write is one statement in its own transaction, so nothing a caller was told is saved can be
lost on a restart.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bestdev.feedback.errors import StoreUnavailable
from bestdev.feedback.records import Answer, Decision

BUSY_TIMEOUT_SECONDS = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    request_id TEXT PRIMARY KEY,
    description_hash TEXT NOT NULL,
    names TEXT NOT NULL,
    backend TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_answered_at ON answers (answered_at);
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    description TEXT NOT NULL,
    developer TEXT NOT NULL,
    verdict TEXT NOT NULL,
    note TEXT,
    backend TEXT NOT NULL,
    answered TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_created_at ON decisions (created_at);
"""


class SqliteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"sqlite:///{os.path.abspath(path)}"
        self._lock = threading.Lock()
        self._ready = False
        self._anchor: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        """A connection for one operation, in the calling thread: no connection is ever shared between threads, so
        none can be closed under another's feet (a cancelled request's write still finishes in its thread)."""
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(f"the feedback database {self.path} cannot be opened ({error})") from error
        try:
            # In WAL mode NORMAL survives crashes and restarts of the app; it skips an fsync per write (~10 ms each)
            connection.execute("PRAGMA synchronous=NORMAL")
            if not self._ready:
                with self._lock:
                    if not self._ready:
                        connection.execute("PRAGMA journal_mode=WAL")  # kept in the file from then on
                        connection.executescript(SCHEMA)
                        # Held open, never used: while one connection is open the WAL stays, so closing each
                        # operation's connection costs no checkpoint and fsync (~10 ms).
                        anchor = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                        anchor.execute("SELECT count(*) FROM sqlite_master").fetchall()  # opens the WAL for good
                        self._anchor = anchor
                        self._ready = True
        except sqlite3.Error as error:
            connection.close()
            raise StoreUnavailable(f"the feedback database {self.path} cannot be opened ({error})") from error
        return connection

    def _run(self, sql: str, parameters: tuple[object, ...] = ()) -> tuple[list[Any], int]:
        """The statement's rows and row count; each statement is its own transaction."""
        connection = self._open()
        try:
            cursor = connection.execute(sql, parameters)
            return cursor.fetchall(), cursor.rowcount
        except sqlite3.Error as error:
            raise StoreUnavailable(f"the feedback database {self.path} failed ({error})") from error
        finally:
            connection.close()

    def remember(self, answer: Answer) -> None:
        self._run(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
            (
                answer.request_id,
                answer.description_hash,
                json.dumps(list(answer.names), ensure_ascii=False),
                answer.backend,
                _stamp(answer.answered_at),
            ),
        )

    def answer(self, request_id: str) -> Answer | None:
        rows, _ = self._run(
            "SELECT request_id, description_hash, names, backend, answered_at FROM answers WHERE request_id = ?",
            (request_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return Answer(row[0], row[1], tuple(json.loads(row[2])), row[3], datetime.fromisoformat(row[4]))

    def save(self, decision: Decision) -> None:
        self._run(
            "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                decision.id,
                decision.request_id,
                decision.description,
                decision.developer,
                decision.verdict,
                decision.note,
                decision.backend,
                json.dumps(list(decision.answered), ensure_ascii=False),
                _stamp(decision.created_at),
            ),
        )

    def decisions(self) -> Iterator[Decision]:
        rows, _ = self._run(
            "SELECT id, request_id, description, developer, verdict, note, backend, answered, created_at "
            "FROM decisions ORDER BY created_at, id"
        )
        for row in rows:
            yield Decision(
                id=row[0],
                request_id=row[1],
                description=row[2],
                developer=row[3],
                verdict=row[4],
                note=row[5],
                backend=row[6],
                answered=tuple(json.loads(row[7])),
                created_at=datetime.fromisoformat(row[8]),
            )

    def prune(self, before: datetime) -> int:
        cut = _stamp(before)
        _, answers = self._run("DELETE FROM answers WHERE answered_at < ?", (cut,))
        _, decisions = self._run("DELETE FROM decisions WHERE created_at < ?", (cut,))
        return answers + decisions

    def close(self) -> None:
        """Only the anchor stays open between operations (no operation uses it, so closing it is safe anytime)."""
        with self._lock:
            anchor, self._anchor, self._ready = self._anchor, None, False
        if anchor is not None:
            anchor.close()


def _stamp(moment: datetime) -> str:
    """UTC, always with microseconds, so the text sorts as the time does."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
