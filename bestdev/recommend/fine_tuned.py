"""The fine-tuned model's pick, grounded in the pool, with the local recommender behind it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Literal, Protocol

from bestdev import template
from bestdev.model.breaker import ModelStatus
from bestdev.model.faults import ModelFault
from bestdev.recommend.availability import arranged, widened
from bestdev.recommend.base import Backend, ModelBackend, Outcome, Recommendation, Team
from bestdev.recommend.explain import explained
from bestdev.recommend.grounding import Refused, ground
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.reading import Reading

log = logging.getLogger(__name__)


class CompletionModel(Protocol):
    deployment: str

    async def complete(self, prompt: str) -> str: ...

    async def warm_up(self) -> None: ...

    def status(self) -> ModelStatus: ...

    async def aclose(self) -> None: ...


class FineTunedRecommender:
    """recommendations[0] is the model's pick when the pool backs it; the rest come from the local ranking.

    Names are checked against the pool, and the reason's claims against the pool and the description (see
    grounding); skills and reasons are rebuilt from the pool, never taken from the model's text. When the model
    fails, `fallback="local"` answers locally and says why; "none" raises.
    """

    def __init__(
        self,
        model: CompletionModel,
        local: LocalRecommender,
        fallback: Literal["local", "none"] = "local",
        backend: ModelBackend = "azure-openai",
    ) -> None:
        self.model = model
        self.local = local
        self.model_backend = backend
        self.backend: Backend = backend
        self.pool = local.pool
        self.fallback = fallback

    async def recommend(self, description: str, top_k: int, start: date | None = None) -> Outcome:
        prompt = template.prompt(self.local.pool.company, description)
        try:
            text = await self.model.complete(prompt)
        except ModelFault as fault:
            return self._fallback(fault, self.local.read(description), top_k, start)
        reading = self.local.read(description)  # the request's one reading, whatever happens next
        ranked = widened(lambda k: self.local.ranked(reading, k), self.pool, top_k, start)
        try:
            pick = self._pick(text, reading, ranked)
        except ModelFault as fault:
            return self._fallback(fault, reading, top_k, start)
        if pick is None:  # rightly nobody: the local ranking is empty too
            answer = self.local.answer(reading, top_k, start, ranked)
            return replace(answer, backend=self.backend, model=self.model.deployment)
        rest = [entry for entry in ranked if entry.name != pick.name]
        outcome = Outcome(recommendations=(pick, *rest), backend=self.backend, model=self.model.deployment)
        explained_ = explained(outcome, reading, self.local.index, self.pool, top_k, keep_first=True)
        # the model's pick stays first, unless it is busy on the start day and someone free covers as much
        return arranged(explained_, self.pool, top_k, start, keep_first=True)

    def _fallback(self, fault: ModelFault, reading: Reading, top_k: int, start: date | None) -> Outcome:
        self._log(fault, "answering locally")
        if self.fallback == "none":
            raise fault
        outcome = self.local.answer(reading, top_k, start)
        return replace(outcome, fallback_reason=fault.message, fallback_cause=fault.cause)

    async def team(self, description: str, max_size: int, start: date | None = None) -> Team:
        """The team with the model's grounded pick as its first member (the local team when it picks nobody)."""
        prompt = template.prompt(self.local.pool.company, description)
        reading: Reading | None = None
        try:
            text = await self.model.complete(prompt)
            reading = self.local.read(description)
            pick = self._pick(text, reading, self.local.ranked(reading, 1))
        except ModelFault as fault:
            self._log(fault, "staffing locally")
            if self.fallback == "none":
                raise
            reading = reading or self.local.read(description)
            return replace(self.local.staffed(reading, max_size, start=start), fallback_reason=fault.message)
        first = None if pick is None else self.pool.position(pick.name)
        reason = None if pick is None else pick.reason
        team = self.local.staffed(reading, max_size, first, reason, start)
        return replace(team, backend=self.backend, model=self.model.deployment)

    def _pick(self, text: str, reading: Reading, ranked: Sequence[Recommendation]) -> Recommendation | None:
        """The model's pick as the pool backs it; None when it rightly says nobody fits; else ModelFault.
        `ranked` is the local ranking of the reading (its best at least)."""
        answer = template.parse(text)
        if answer is None:
            raise ModelFault("unparsable", "the model's answer did not name a developer")
        position = None if answer.name is None else self.pool.position(answer.name)
        if answer.name is not None and position is None:
            raise ModelFault("not_in_pool", "the model named someone who is not in the pool")
        if position is None:
            if ranked:
                raise ModelFault(
                    "ungrounded",
                    "the model said nobody fits, but the pool has developers with matching skills",
                )
            return None
        developer = self.pool.developers[position]
        matcher = self.local.matcher
        try:
            held = self.local.knowledge(position)
            grounded = ground(developer, answer.reason, reading.lenient_mentions, matcher, reading.required, held)
        except Refused as refused:
            raise ModelFault("ungrounded", str(refused)) from None
        return self.local.case_for(position, grounded.skills, reading, ranked)

    @property
    def stand_in(self) -> LocalRecommender:
        return self.local

    async def warm_up(self) -> None:
        await self.model.warm_up()

    def model_status(self) -> ModelStatus:
        """Whether calls to the model go out now, and when they will again (for /api/health)."""
        return self.model.status()

    def _log(self, fault: ModelFault, instead: str) -> None:
        """Every model fault once, with its cause and what happens instead."""
        answer = instead if self.fallback == "local" else "answering with an error"
        detail = f" [{fault.detail}]" if fault.detail else ""
        log.warning("model fault (%s), %s: %s%s", fault.cause, answer, fault.message, detail)

    async def aclose(self) -> None:
        await self.model.aclose()
