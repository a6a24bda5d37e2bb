"""The embedded recommender: the technologies a description mentions, weighed against what the pool knows.

A requirement is one technology the description names (credit: its rarity in the pool, times how well the
developer knows it) or one concept it names ("machine learning"; credit halved, so related matches rank below
exact ones). A developer's score is the sum over requirements; ties go to the one meeting more requirements,
then to the name.
"""

from __future__ import annotations

from collections.abc import Sequence

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.base import Backend, Outcome, Recommendation
from bestdev.recommend.skill_index import Ranked, Requirement, SkillIndex
from bestdev.skills.matcher import Mention, SkillMatcher
from bestdev.skills.vocabulary import Technology, Vocabulary
from bestdev.skills.vocabulary_index import bundled_index

RELATED_WEIGHT = 0.5
CONCEPT_DEPTH_BONUS = 0.1  # per further technology of the same concept a developer knows ...
CONCEPT_DEPTH_CAP = 4  # ... counting at most this many, so a concept stays below an exact match
NOTHING_RECOGNISED = (
    "No technologies were recognised in the description: name the languages, frameworks or services the project uses."
)
NOBODY_FITS = "Nobody in the pool has experience with the technologies this project mentions."


class LocalRecommender:
    backend: Backend = "local"

    def __init__(self, pool: Pool, vocabulary: Vocabulary | Sequence[Technology] | None = None) -> None:
        self.pool = pool
        all_skills = [skill for developer in pool.developers for skill in (*developer.skills, *developer.experience)]
        self.matcher = SkillMatcher(bundled_index() if vocabulary is None else vocabulary, all_skills)
        self.index = SkillIndex(pool.developers, self.matcher)

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
        """Best first, at most top_k; [] when nobody in the pool knows any of the mentioned technologies."""
        requirements = self._requirements(mentions)
        return [self._recommendation(entry, requirements) for entry in self.index.top(requirements, top_k)]

    def shortlist(
        self, mentions: Sequence[Mention], top_k: int, position: int | None
    ) -> tuple[Recommendation | None, list[Recommendation]]:
        """The pool's case for the developer at `position` (None if they know none of it, or no position), scored
        as in the ranking, and the best top_k: one pass over the requirements for both."""
        requirements = self._requirements(mentions)
        entry = None if position is None else self.index.assess(requirements, position)
        case = None if entry is None else self._recommendation(entry, requirements)
        return case, [self._recommendation(entry, requirements) for entry in self.index.top(requirements, top_k)]

    def _requirements(self, mentions: Sequence[Mention]) -> list[Requirement]:
        built = [
            self.index.requirement(options, CONCEPT_DEPTH_BONUS, CONCEPT_DEPTH_CAP)
            if concept
            else self.index.requirement(options)
            for options, concept in _requirement_groups(mentions)
        ]
        return [requirement for requirement in built if requirement is not None]

    def _recommendation(self, entry: Ranked, requirements: Sequence[Requirement]) -> Recommendation:
        developer = self.pool.developers[entry.index]
        labels = list(dict.fromkeys(self.index.label(cell, entry.bit) for cell in entry.cells if cell))
        possible = sum(requirement.best for requirement in requirements)
        return Recommendation(
            name=developer.name,
            reason=template.reason(labels),
            matched_skills=tuple(labels),
            score=round(min(1.0, entry.score / possible), 4),
            title=developer.title,
        )


def _requirement_groups(mentions: Sequence[Mention]) -> list[tuple[list[tuple[str, float]], bool]]:
    """Each named technology is a requirement; a related mention joins the named one it came from, else its concept.

    Returns (options, is_concept) per requirement: the (technology key, weight) options that meet it.
    """
    groups: dict[str, list[tuple[str, float]]] = {}
    named_by_text: dict[str, list[str]] = {}
    for mention in mentions:
        if not mention.related:
            groups.setdefault(mention.key, [(mention.key, 1.0)])
            named_by_text.setdefault(mention.text.lower(), []).append(mention.key)
    concepts = set()
    for mention in mentions:
        if mention.related:
            owners = named_by_text.get(mention.text.lower(), [])
            group = owners[0] if len(owners) == 1 else f"concept:{mention.text.lower()}"
            groups.setdefault(group, []).append((mention.key, RELATED_WEIGHT))
            if group.startswith("concept:"):
                concepts.add(group)
    return [(options, group in concepts) for group, options in groups.items()]
