"""Taking feedback: each answer is remembered by its request id (with a hash of its description), and a decision
is accepted only about an answer still kept, for the same description, naming a developer of the pool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bestdev.feedback.errors import DescriptionMismatch, InvalidDecision, UnknownRequest
from bestdev.feedback.records import Answer, Decision, Verdict, decision_id, description_hash
from bestdev.feedback.store import FeedbackStore
from bestdev.pool import Pool, name_key
from bestdev.recommend.base import Outcome


@dataclass(frozen=True)
class Submission:
    request_id: str
    description: str
    developer: str
    verdict: Verdict
    note: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


def answer_of(request_id: str, description: str, outcome: Outcome, at: datetime | None = None) -> Answer:
    """What is kept of an answer: its request id, the description's hash, the names returned and the backend."""
    return Answer(
        request_id=request_id,
        description_hash=description_hash(description),
        names=tuple(item.name for item in outcome.recommendations),
        backend=outcome.backend,
        answered_at=at or now(),
    )


def decide(
    store: FeedbackStore, pool: Pool, submission: Submission, retention_days: int, at: datetime | None = None
) -> Decision:
    """Checks the submission against the answer it is about and keeps it; raises what the caller did wrong."""
    at = at or now()
    answer = store.answer(submission.request_id)
    if answer is None or answer.answered_at < at - timedelta(days=retention_days):
        raise UnknownRequest(
            f"no answer with request id {submission.request_id!r} in the last {retention_days} days: "
            "send the request_id that /api/recommend returned, within the retention period"
        )
    if answer.description_hash != description_hash(submission.description):
        raise DescriptionMismatch(
            f"the description is not the one answered under request id {submission.request_id!r}: "
            "send it back exactly as it was recommended on"
        )
    developer = pool.find(submission.developer)
    if developer is None:
        raise InvalidDecision(f"developer: {submission.developer!r} is not in the pool")
    answered = {name_key(name) for name in answer.names}
    if submission.verdict != "chosen" and name_key(developer.name) not in answered:
        raise InvalidDecision(
            f"developer: {developer.name!r} was not in this answer; only a 'chosen' verdict can name someone else"
        )
    decision = Decision(
        id=decision_id(answer.request_id, name_key(developer.name)),
        request_id=answer.request_id,
        description=submission.description.strip(),
        developer=developer.name,
        verdict=submission.verdict,
        note=(submission.note or "").strip() or None,
        backend=answer.backend,
        answered=answer.names,
        created_at=at,
    )
    store.save(decision)
    return decision


def prune(store: FeedbackStore, retention_days: int, at: datetime | None = None) -> int:
    """Deletes what is older than the retention period; returns how many entries went."""
    return store.prune((at or now()) - timedelta(days=retention_days))
