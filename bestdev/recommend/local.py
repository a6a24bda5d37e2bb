"""The embedded recommender: the technologies a description mentions, weighed against what the pool knows.

The reading (see `reading`) says what the description asks for and who can be a fit; here a developer's score is
the sum over requirements, shown as the share of what a developer holding everything would get (a concept-only
match never reaches half of it); ties go to the one meeting more requirements, then to the one whose title and
project names fit the description, then to the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.availability import arranged, widened
from bestdev.recommend.base import Backend, Outcome, Recommendation, Team
from bestdev.recommend.explain import NOTHING_RECOGNISED, explained
from bestdev.recommend.reading import PROFILE, Reader, Reading
from bestdev.recommend.skill_index import Knowledge, Ranked, SkillIndex, knowledge
from bestdev.recommend.team import staff
from bestdev.skills.matcher import Mention, SkillMatcher
from bestdev.skills.vocabulary import Technology, Vocabulary
from bestdev.skills.vocabulary_index import bundled_index

__all__ = ["NOTHING_RECOGNISED", "LocalRecommender"]
KNOWLEDGE_KEPT = 4096  # developers whose knowledge is kept for grounding (the model's picks), then started afresh
NOBODY_FITS = "Nobody in the pool has experience with the technologies this project mentions."


class LocalRecommender:
    backend: Backend = "local"

    def __init__(self, pool: Pool, vocabulary: Vocabulary | Sequence[Technology] | None = None) -> None:
        self.pool = pool
        all_skills = [skill for developer in pool.developers for skill in (*developer.skills, *developer.experience)]
        self.matcher = SkillMatcher(bundled_index() if vocabulary is None else vocabulary, all_skills)
        self.index = SkillIndex(pool.developers, self.matcher)
        self.reader = Reader(self.matcher, self.index)
        self._knowledge: dict[int, dict[str, Knowledge]] = {}

    def knowledge(self, position: int) -> dict[str, Knowledge]:
        """What the developer at `position` knows (see skill_index.knowledge), kept once worked out."""
        known = self._knowledge.get(position)
        if known is None:
            if len(self._knowledge) >= KNOWLEDGE_KEPT:
                self._knowledge.clear()
            known = self._knowledge[position] = knowledge(self.pool.developers[position], self.matcher)
        return known

    async def recommend(self, description: str, top_k: int, start: date | None = None) -> Outcome:
        return self.outcome(description, top_k, start)

    async def team(self, description: str, max_size: int, start: date | None = None) -> Team:
        return self.staffed(self.read(description), max_size, start=start)

    def staffed(
        self,
        reading: Reading,
        max_size: int,
        first: int | None = None,
        reason: str | None = None,
        start: date | None = None,
    ) -> Team:
        """The team for a reading; `first` (a pool position) is a member chosen already, with its reason; with a
        `start` day, each profile is staffed by someone free on it when anyone of that profile is."""
        return staff(reading, self.index, self.pool, max_size, self.backend, first, reason, start)

    @property
    def stand_in(self) -> LocalRecommender:
        return self

    async def warm_up(self) -> None:
        return None

    def model_status(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    def outcome(self, description: str, top_k: int, start: date | None = None) -> Outcome:
        return self.answer(self.read(description), top_k, start)

    def answer(
        self, reading: Reading, top_k: int, start: date | None = None, ranked: list[Recommendation] | None = None
    ) -> Outcome:
        """The ranking of a reading, explained, then ordered by levels and (with a `start` day) availability.
        `ranked` is that ranking when the caller has it already (widened for `top_k` and `start`)."""
        if ranked is None:
            ranked = widened(lambda k: self.ranked(reading, k), self.pool, top_k, start)
        outcome = Outcome(recommendations=tuple(ranked), backend=self.backend, message=self._message(reading, ranked))
        return arranged(explained(outcome, reading, self.index, self.pool, top_k), self.pool, top_k, start)

    def rank(self, description: str, top_k: int) -> list[Recommendation]:
        return self.ranked(self.read(description), top_k)

    def read(self, description: str, mentions: Sequence[Mention] | None = None) -> Reading:
        """The one reading of a description per request (found by the matcher unless `mentions` are given)."""
        return self.reader.read(description, mentions)

    def ranked(self, reading: Reading, top_k: int) -> list[Recommendation]:
        """Best first, at most top_k; [] when nobody in the pool fits."""
        top = self.index.top(reading.searched, top_k, reading.who, reading.affinity)
        return [self._recommendation(entry, reading) for entry in top]

    def required(self, reading: Reading) -> list[str]:
        """The must-haves of a reading that someone in the pool holds."""
        return reading.required

    def case_for(
        self, position: int, labels: Sequence[str], read: Reading, ranked: Sequence[Recommendation] = ()
    ) -> Recommendation:
        """The developer at `position` shown with `labels` (their own skills, as the pool lists them), scored as the
        ranking would score them against the description read leniently (`ranked`, the ranking of `read`, has the
        score already when both views agree, and the whole case when it shows the same skills)."""
        developer = self.pool.developers[position]
        reading = read.lenient
        known = next((entry for entry in ranked if entry.name == developer.name), None)
        if known is not None and reading is read and known.matched_skills == tuple(labels):
            return known
        scored = None if known is None else known.score
        if scored is None or reading is not read:
            entry = self.index.assess(reading.searched, position)
            score = entry.score / reading.possible if entry is not None and reading.possible else 0.0
            scored = round(min(1.0, score), 4)
        return Recommendation(
            name=developer.name,
            reason=template.reason(labels),
            matched_skills=tuple(labels),
            score=scored,
            title=developer.title,
        )

    def _message(self, reading: Reading, ranked: Sequence[Recommendation]) -> str | None:
        if ranked:
            return None
        if not reading.needs or (reading.eligible == 0 and all(need.concept for need in reading.needs)):
            return NOTHING_RECOGNISED
        named = [need for need in reading.needs if not need.concept]
        musts = [need for need in named if need.weight == "must"]
        lacking = [self.matcher.name(need.mention.key) for need in (musts or named) if need.requirement is None]
        if lacking:
            return f"Nobody in the pool lists {template.join_skills(lacking, 'or')}."
        return NOBODY_FITS

    def _recommendation(self, entry: Ranked, reading: Reading) -> Recommendation:
        developer = self.pool.developers[entry.index]
        labels = list(dict.fromkeys(self.index.label(c, entry.bit) for c in entry.cells if c and c.key != PROFILE))
        return Recommendation(
            name=developer.name,
            reason=template.reason(labels),
            matched_skills=tuple(labels),
            score=round(min(1.0, entry.score / reading.possible), 4) if reading.possible else 0.0,
            title=developer.title,
        )
