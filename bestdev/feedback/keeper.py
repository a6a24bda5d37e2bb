"""Keeps each answer in a task of its own, so /api/recommend never waits for the store (not even where the host
waits for the app's background work before it replies, as the Azure Functions adapter does); feedback that
arrives while its answer is still being written waits for that write instead of finding nothing (404)."""

from __future__ import annotations

import asyncio
import logging

from bestdev.feedback import capture
from bestdev.feedback.errors import FeedbackError
from bestdev.feedback.records import Answer
from bestdev.feedback.store import FeedbackStore
from bestdev.recommend.base import Outcome

log = logging.getLogger(__name__)

SETTLE_SECONDS = 10.0


class AnswerKeeper:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store
        self._pending: dict[str, asyncio.Event] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def keep(self, request_id: str, description: str, outcome: Outcome) -> None:
        """Starts writing the answer (in a worker thread) and returns at once."""
        answer = capture.answer_of(request_id, description, outcome)
        done = self._pending[request_id] = asyncio.Event()
        task = asyncio.get_running_loop().create_task(self._write(answer, done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write(self, answer: Answer, done: asyncio.Event) -> None:
        try:
            await asyncio.to_thread(self.store.remember, answer)
        except FeedbackError as error:
            log.warning("answer not kept for feedback: %s", error)
        finally:
            done.set()
            if self._pending.get(answer.request_id) is done:
                del self._pending[answer.request_id]

    async def settled(self, request_id: str) -> None:
        """Returns once any write of this request's answer has finished (or after SETTLE_SECONDS)."""
        pending = self._pending.get(request_id)
        if pending is not None:
            try:
                await asyncio.wait_for(pending.wait(), SETTLE_SECONDS)
            except TimeoutError:
                log.warning("the answer of request %s is still being kept", request_id)

    async def drain(self) -> None:
        """Waits for the writes under way (at shutdown, before the store closes)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
