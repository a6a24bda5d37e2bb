"""The embedded recommender: weighted overlap between the technologies a description mentions and the pool."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.base import Backend, Outcome, Recommendation
from bestdev.skills.matcher import Mention, SkillMatcher
from bestdev.skills.vocabulary import Technology, load_vocabulary

SKILL_WEIGHT = 1.0
PROJECT_WEIGHT = 0.6
RELATED_WEIGHT = 0.5
NOTHING_RECOGNISED = (
    "No technologies were recognised in the description: name the languages, frameworks or services the project uses."
)
NOBODY_FITS = "Nobody in the pool has experience with the technologies this project mentions."


@dataclass(frozen=True)
class _Knows:
    """How a developer knows a technology: the pool's own label for it, and from skills or projects."""

    label: str
    weight: float


class LocalRecommender:
    backend: Backend = "local"

    def __init__(self, pool: Pool, vocabulary: Sequence[Technology] | None = None) -> None:
        self.pool = pool
        all_skills = [skill for developer in pool.developers for skill in (*developer.skills, *developer.experience)]
        self.matcher = SkillMatcher(load_vocabulary() if vocabulary is None else vocabulary, all_skills)
        self._knows: list[dict[str, _Knows]] = []
        self._who_knows: dict[str, list[int]] = defaultdict(list)
        for index, developer in enumerate(pool.developers):
            knows: dict[str, _Knows] = {}
            for skill in developer.skills:
                knows.setdefault(self.matcher.canonical(skill), _Knows(skill, SKILL_WEIGHT))
            for skill in developer.experience:
                knows.setdefault(self.matcher.canonical(skill), _Knows(skill, PROJECT_WEIGHT))
            self._knows.append(knows)
            for key in knows:
                self._who_knows[key].append(index)
        total = len(pool.developers)
        self._rarity = {key: math.log((1 + total) / (1 + len(who))) + 1.0 for key, who in self._who_knows.items()}

    async def recommend(self, description: str, top_k: int) -> Outcome:
        return self.outcome(description, top_k)

    async def aclose(self) -> None:
        return None

    def outcome(self, description: str, top_k: int) -> Outcome:
        mentions = self.matcher.find(description)
        ranked = self.rank_mentions(mentions, top_k)
        message = None
        if not ranked:
            message = NOBODY_FITS if mentions else NOTHING_RECOGNISED
        return Outcome(recommendations=tuple(ranked), backend=self.backend, message=message)

    def rank(self, description: str, top_k: int) -> list[Recommendation]:
        return self.rank_mentions(self.matcher.find(description), top_k)

    def rank_mentions(self, mentions: Sequence[Mention], top_k: int) -> list[Recommendation]:
        wanted = [(mention, self._rarity[mention.key]) for mention in mentions if mention.key in self._rarity]
        possible = sum(weight * (RELATED_WEIGHT if m.related else 1.0) for m, weight in wanted)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for mention, weight in wanted:
            for index in self._who_knows[mention.key]:
                knows = self._knows[index][mention.key]
                scores[index] += weight * knows.weight * (RELATED_WEIGHT if mention.related else 1.0)
                matched[index].append(knows.label)
        order = sorted(scores, key=lambda i: (-scores[i], -len(matched[i]), self.pool.developers[i].name))
        return [
            Recommendation(
                name=self.pool.developers[index].name,
                reason=template.reason(matched[index]),
                matched_skills=tuple(matched[index]),
                score=round(min(1.0, scores[index] / possible), 4),
            )
            for index in order[:top_k]
        ]
