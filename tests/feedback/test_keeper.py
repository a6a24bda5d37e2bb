"""The answer keeper: answers are written in the background, many at a time, and feedback waits for its answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bestdev.feedback.errors import StoreUnavailable
from bestdev.feedback.keeper import AnswerKeeper
from bestdev.feedback.records import Answer
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.recommend.base import Outcome, Recommendation

OUTCOME = Outcome(
    recommendations=(Recommendation(name="Chen Wei", reason="", matched_skills=(), score=1.0),), backend="local"
)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    return SqliteStore(tmp_path / "feedback.db")


async def test_answers_kept_together_are_written_in_one_trip_to_the_worker_thread(store: SqliteStore) -> None:
    keeper = AnswerKeeper(store)
    trips: list[int] = []
    remember = keeper._remember
    keeper._remember = lambda answers: (trips.append(len(answers)), remember(answers))[1]  # type: ignore[method-assign]
    for number in range(50):
        keeper.keep(f"request-{number}", "A React Native app", OUTCOME)
    await keeper.settled("request-49")
    await keeper.drain()
    assert trips == [50]
    assert all(store.answer(f"request-{number}") is not None for number in range(50))
    store.close()


async def test_feedback_waits_for_its_answer_and_later_answers_start_a_new_batch(store: SqliteStore) -> None:
    keeper = AnswerKeeper(store)
    keeper.keep("first", "A React Native app", OUTCOME)
    await keeper.settled("first")
    assert store.answer("first") is not None
    keeper.keep("second", "A React Native app", OUTCOME)
    await keeper.settled("second")
    assert store.answer("second") is not None
    await keeper.drain()
    store.close()


async def test_an_answer_the_store_refuses_is_logged_and_the_others_are_kept(
    store: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    class Refusing(SqliteStore):
        def remember(self, answer: Answer) -> None:
            if answer.request_id == "refused":
                raise StoreUnavailable("the store is read-only")
            super().remember(answer)

    refusing = Refusing(store.path)
    keeper = AnswerKeeper(refusing)
    for request_id in ("before", "refused", "after"):
        keeper.keep(request_id, "A React Native app", OUTCOME)
    await keeper.drain()
    assert refusing.answer("before") is not None
    assert refusing.answer("after") is not None
    assert refusing.answer("refused") is None
    assert "answer of request refused not kept for feedback: the store is read-only" in caplog.text
    refusing.close()
