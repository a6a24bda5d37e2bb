"""Keeps each answer after its response is sent, so /api/recommend never waits for the store; feedback that
arrives while its answer is still being written waits for that write instead of finding nothing (404)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bestdev.feedback import capture
from bestdev.feedback.errors import FeedbackError
from bestdev.feedback.store import FeedbackStore
from bestdev.recommend.base import Outcome

log = logging.getLogger(__name__)

SETTLE_SECONDS = 10.0


class AnswerKeeper:
    def __init__(self, store: FeedbackStore) -> None:
        self.store = store
        self._pending: dict[str, asyncio.Event] = {}

    def keep(self, request_id: str, description: str, outcome: Outcome) -> Callable[[], Awaitable[None]]:
        """Registers the answer as pending now; returns the write, to run once the response is sent."""
        answer = capture.answer_of(request_id, description, outcome)
        done = self._pending[request_id] = asyncio.Event()

        async def write() -> None:
            try:
                await asyncio.to_thread(self.store.remember, answer)
            except FeedbackError as error:
                log.warning("answer not kept for feedback: %s", error)
            finally:
                done.set()
                if self._pending.get(request_id) is done:
                    del self._pending[request_id]

        return write

    async def settled(self, request_id: str) -> None:
        """Returns once any write of this request's answer has finished (or after SETTLE_SECONDS)."""
        pending = self._pending.get(request_id)
        if pending is not None:
            try:
                await asyncio.wait_for(pending.wait(), SETTLE_SECONDS)
            except TimeoutError:
                log.warning("the answer of request %s is still being kept", request_id)
