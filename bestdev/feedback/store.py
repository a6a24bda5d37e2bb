"""The one small interface both stores implement. Calls block (they run in a worker thread from the API);
every failure of the store itself is raised as StoreUnavailable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from bestdev.feedback.records import Answer, Decision


class FeedbackStore(Protocol):
    description: str  # where it keeps things, for logs and the CLI ('sqlite:///...', 'azure-tables ...')

    def remember(self, answer: Answer) -> None:
        """Keep an answer (replacing one with the same request id)."""

    def answer(self, request_id: str) -> Answer | None:
        """The answer given under this request id, if still kept."""

    def save(self, decision: Decision) -> None:
        """Keep a decision (replacing one with the same id)."""

    def decisions(self) -> Iterator[Decision]:
        """Every decision kept, oldest first."""

    def prune(self, before: datetime) -> int:
        """Delete answers and decisions made before `before`; returns how many entries went."""

    def close(self) -> None: ...
