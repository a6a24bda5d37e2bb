"""Keeps each answer in the background, so /api/recommend never waits for the store (not even where the host
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
    """Answers are queued by the requests and written by one writer task, in a worker thread, as many at a time as
    have queued meanwhile: under load one thread hop carries many answers instead of one hop per request."""

    def __init__(self, store: FeedbackStore) -> None:
        self.store = store
        self._pending: dict[str, asyncio.Event] = {}
        self._queued: list[tuple[Answer, asyncio.Event]] = []
        self._writer: asyncio.Task[None] | None = None

    def keep(self, request_id: str, description: str, outcome: Outcome) -> None:
        """Queues the answer for writing and returns at once."""
        answer = capture.answer_of(request_id, description, outcome)
        done = self._pending[request_id] = asyncio.Event()
        self._queued.append((answer, done))
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.get_loop() is not loop:  # a host may run requests on another loop
            self._writer = loop.create_task(self._write_queued())

    async def _write_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await asyncio.to_thread(self._remember, [answer for answer, _ in batch])
                finally:
                    for answer, done in batch:
                        done.set()
                        if self._pending.get(answer.request_id) is done:
                            del self._pending[answer.request_id]
        finally:
            if self._writer is asyncio.current_task():
                self._writer = None

    def _remember(self, answers: list[Answer]) -> None:
        """In the worker thread: each answer on its own, so one that fails does not lose the others."""
        for answer in answers:
            try:
                self.store.remember(answer)
            except FeedbackError as error:
                log.warning("answer of request %s not kept for feedback: %s", answer.request_id, error)

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
        while self._writer is not None and self._writer.get_loop() is asyncio.get_running_loop():
            await asyncio.gather(self._writer, return_exceptions=True)
