"""What every recommender returns, and the protocol they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from bestdev.model.breaker import ModelStatus
from bestdev.pool import Pool

# What answered: the fine-tuned model in Azure OpenAI, a fine-tuned model served on this machine (`bestdev
# local-model serve`, BESTDEV_MODEL_BACKEND), or the embedded local recommender.
ModelBackend = Literal["azure-openai", "local-model"]
Backend = Literal["azure-openai", "local-model", "local"]


@dataclass(frozen=True)
class Recommendation:
    """One developer from the pool; `matched_skills` always come from the pool, never from a model."""

    name: str
    reason: str
    matched_skills: tuple[str, ...]
    score: float
    title: str | None = None
    missing: tuple[str, ...] = ()  # what the project named that this developer lacks (canonical names)
    coverage: float | None = None  # the weighted share of the project's requirements they hold, 0..1
    levels: tuple[tuple[str, int], ...] = ()  # the levels the pool gives matched skills (see availability)
    available_from: date | None = None  # as the pool says: free from this day (None: now)
    allocation: int | None = None  # as the pool says: the share already booked, in percent
    free: bool | None = None  # free on the request's start day; None when it named none


@dataclass(frozen=True)
class Understood:
    """One requirement read from the description: `technology` is the canonical name (for a concept, the concept
    as written), `text` the words used, `weight` "must" | "nice" | "normal", `via` "name" | "alias" | "concept" |
    "spelling" (a skills item read as the technology it nearly spells)."""

    technology: str
    text: str
    weight: str
    via: str


@dataclass(frozen=True)
class Unrecognised:
    """Words the description names as a technology (a skills item, a name listed with technologies) that the
    vocabulary does not know; `did_you_mean` the vocabulary name they nearly spell ("Kubernets")."""

    text: str
    did_you_mean: str | None = None


@dataclass(frozen=True)
class Closest:
    """Not a fit: a developer who holds something related to a project nobody fits, and what they lack."""

    name: str
    reason: str
    holds: tuple[str, ...]
    missing: tuple[str, ...]
    coverage: float
    title: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Best first. `backend` produced recommendations[0]; `fallback_reason` says why the model was bypassed, and
    `fallback_cause` names that fault's kind (ModelFault.cause: timeout, unparsable, not_in_pool, ungrounded, ...)."""

    recommendations: tuple[Recommendation, ...]
    backend: Backend
    model: str | None = None
    fallback_reason: str | None = None
    fallback_cause: str | None = None
    message: str | None = None
    notes: tuple[str, ...] = field(default=())
    understood: tuple[Understood, ...] = ()
    closest: tuple[Closest, ...] = ()
    unrecognised: tuple[Unrecognised, ...] = ()


@dataclass(frozen=True)
class Member:
    """One developer of a team: the requirements they are there for (all held by them in the pool), and why."""

    name: str
    covers: tuple[str, ...]
    reason: str
    title: str | None = None
    available_from: date | None = None
    allocation: int | None = None
    free: bool | None = None


@dataclass(frozen=True)
class Team:
    """The smallest set of developers covering the most must-haves, then the most of the rest.

    `uncovered`: what nobody in the pool holds; `left_out`: what someone holds but a team of this size could not
    also cover; `exact`: whether the search was exhaustive (it is bounded for very varied pools).
    """

    members: tuple[Member, ...]
    uncovered: tuple[str, ...]
    backend: Backend
    left_out: tuple[str, ...] = ()
    understood: tuple[Understood, ...] = ()
    unrecognised: tuple[Unrecognised, ...] = ()
    exact: bool = True
    model: str | None = None
    fallback_reason: str | None = None
    message: str | None = None


class Recommender(Protocol):
    backend: Backend
    pool: Pool

    async def recommend(self, description: str, top_k: int, start: date | None = None) -> Outcome: ...

    async def team(self, description: str, max_size: int, start: date | None = None) -> Team: ...

    @property
    def stand_in(self) -> Recommender:
        """Who answers without the model (the startup's rehearsal goes to it): the local recommender is its own."""
        ...

    async def warm_up(self) -> None:
        """Before serving: the first-call work of any client it holds, without reaching a service."""
        ...

    def model_status(self) -> ModelStatus | None:
        """Whether calls to the model go out now; None without a model."""
        ...

    async def aclose(self) -> None: ...
