"""What every recommender returns, and the protocol they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from bestdev.pool import Pool

Backend = Literal["azure-openai", "local"]


@dataclass(frozen=True)
class Recommendation:
    """One developer from the pool; `matched_skills` always come from the pool, never from a model."""

    name: str
    reason: str
    matched_skills: tuple[str, ...]
    score: float
    title: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Best first. `backend` produced recommendations[0]; `fallback_reason` says why the model was bypassed."""

    recommendations: tuple[Recommendation, ...]
    backend: Backend
    model: str | None = None
    fallback_reason: str | None = None
    message: str | None = None
    notes: tuple[str, ...] = field(default=())


class Recommender(Protocol):
    backend: Backend
    pool: Pool

    async def recommend(self, description: str, top_k: int) -> Outcome: ...

    async def aclose(self) -> None: ...
