"""The embedded recommender: the technologies a description mentions, weighed against what the pool knows.

A requirement is one technology the description names (credit: its rarity in the pool, times how well the
developer knows it) or one concept it names ("machine learning"; credit halved). Requirements come in tiers, and
each tier outweighs all the tiers below it together: must-haves, then the other named technologies, then
nice-to-haves (NICE_FACTOR) and concepts. So a nice-to-have never beats a must-have, and a concept never
outranks a named technology.

Who can be a fit at all: when the description has must-haves, only developers holding one of them; otherwise,
when it names technologies that are not nice-to-haves, nobody unless someone holds one of those (a concept or a
nice-to-have alone never makes a fit for a project whose stack nobody has); a text naming no technology at all is
read through its concepts when it is about them (a short brief: "a data warehouse with dashboards"), not when a
concept passes by in a long story (WORDS_PER_CONCEPT). A developer's score is the sum over
requirements, shown as the share of what a developer holding everything would get (a concept-only match never
reaches half of it); ties go to the one meeting more requirements, then to the one whose title and project
names fit the description, then to the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.availability import arranged, widened
from bestdev.recommend.base import Backend, Outcome, Recommendation, Team
from bestdev.recommend.explain import explained
from bestdev.recommend.skill_index import Cell, Ranked, Requirement, SkillIndex
from bestdev.recommend.team import staff
from bestdev.skills.emphasis import Weight
from bestdev.skills.matcher import Mention, SkillMatcher
from bestdev.skills.vocabulary import Technology, Vocabulary
from bestdev.skills.vocabulary_index import bundled_index

RELATED_WEIGHT = 0.5
PROFILE_SHARE = 0.3  # each word of the description in a developer's title or project names: this share of the
PROFILE = "profile"  # least named requirement's credit, so the role decides between near equals
NICE_FACTOR = 0.3
WORDS_PER_CONCEPT = 40  # a text naming no technology is about its concepts only if it names one per this many words
CONCEPT_DEPTH_BONUS = 0.1  # per further technology of the same concept a developer knows ...
CONCEPT_DEPTH_CAP = 4  # ... counting at most this many, so a concept stays below an exact match
NOTHING_RECOGNISED = (
    "No technologies were recognised in the description: name the languages, frameworks or services the project uses."
)
NOBODY_FITS = "Nobody in the pool has experience with the technologies this project mentions."


@dataclass(frozen=True)
class Need:
    """One requirement as read from the description: the technology (or concept) named, how much the description
    insists on it, and who in the pool meets it (None when nobody does)."""

    mention: Mention
    weight: Weight
    concept: bool
    requirement: Requirement | None  # with its tier's factor applied (see _weighted)
    factor: float = 1.0

    @property
    def tier(self) -> int:
        """2 for a must-have, 1 for another named technology, 0 for a nice-to-have or a concept."""
        if self.weight == "must" and not self.concept:
            return 2
        return 1 if self.weight == "normal" and not self.concept else 0

    @property
    def full(self) -> float:
        """The credit of a developer who fully holds it (a concept counts as if its technology were named)."""
        if self.requirement is None:
            return 0.0
        return self.requirement.best / RELATED_WEIGHT if self.concept else self.requirement.best


@dataclass(frozen=True)
class Reading:
    """What the description asks for, and the requirements ready for ranking (weights applied)."""

    needs: tuple[Need, ...]
    eligible: int | None
    affinity: tuple[int, ...]  # developers whose title or project names share a word with the description
    profile: tuple[Requirement, ...] = ()  # the same words as small requirements (see PROFILE_SHARE)

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(need.requirement for need in self.needs if need.requirement is not None)

    @property
    def searched(self) -> tuple[Requirement, ...]:
        """What the ranking searches: the requirements, then the profile words."""
        return (*self.requirements, *self.profile)

    @property
    def who(self) -> int | None:
        """Who can be a fit: `eligible`, else (with profile words) anyone meeting a requirement."""
        if self.eligible is not None or not self.profile:
            return self.eligible
        anyone = 0
        for requirement in self.requirements:
            anyone |= requirement.anyone
        return anyone

    @property
    def possible(self) -> float:
        return sum(need.full for need in self.needs)


class LocalRecommender:
    backend: Backend = "local"

    def __init__(self, pool: Pool, vocabulary: Vocabulary | Sequence[Technology] | None = None) -> None:
        self.pool = pool
        all_skills = [skill for developer in pool.developers for skill in (*developer.skills, *developer.experience)]
        self.matcher = SkillMatcher(bundled_index() if vocabulary is None else vocabulary, all_skills)
        self.index = SkillIndex(pool.developers, self.matcher)

    async def recommend(self, description: str, top_k: int, start: date | None = None) -> Outcome:
        return self.outcome(description, top_k, start)

    async def team(self, description: str, max_size: int, start: date | None = None) -> Team:
        return staff(self, self.read(description), max_size, self.backend, start=start)

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
        mentions = self.matcher.find(description)
        reading = self.read(description, mentions)
        ranked = widened(lambda k: self.ranked(reading, k), self.pool, top_k, start)
        outcome = Outcome(recommendations=tuple(ranked), backend=self.backend, message=self._message(reading, ranked))
        return arranged(explained(outcome, reading, self, top_k), self.pool, top_k, start)

    def rank(self, description: str, top_k: int) -> list[Recommendation]:
        return self.ranked(self.read(description), top_k)

    def read(self, description: str, mentions: Sequence[Mention] | None = None) -> Reading:
        """The requirements of a description (found by the matcher unless `mentions` are given)."""
        mentions = self.matcher.find(description) if mentions is None else mentions
        needs = _weighted(self._needs(mentions))
        affinity = self.index.affinity(description)
        met = [need.requirement.best for need in needs if need.requirement is not None and need.tier > 0]
        credit = PROFILE_SHARE * min(met, default=0.0)
        profile = tuple(Requirement((Cell(credit, mask, PROFILE, 1.0),), mask) for mask in affinity) if credit else ()
        return Reading(needs, self._eligible(needs, len(description.split())), affinity, profile)

    def ranked(self, reading: Reading, top_k: int) -> list[Recommendation]:
        """Best first, at most top_k; [] when nobody in the pool fits."""
        top = self.index.top(reading.searched, top_k, reading.who, reading.affinity)
        return [self._recommendation(entry, reading) for entry in top]

    def required(self, reading: Reading) -> list[str]:
        """The must-haves of a reading that someone in the pool holds."""
        return [need.mention.key for need in reading.needs if need.weight == "must" and need.requirement is not None]

    def case_for(self, position: int, labels: Sequence[str], description: str) -> Recommendation:
        """The developer at `position` shown with `labels` (their own skills, as the pool lists them), scored as the
        ranking would score them against the description read leniently."""
        reading = self.read(description, self.matcher.find(description, lenient=True))
        entry = self.index.assess(reading.searched, position)
        developer = self.pool.developers[position]
        score = entry.score / reading.possible if entry is not None and reading.possible else 0.0
        return Recommendation(
            name=developer.name,
            reason=template.reason(labels),
            matched_skills=tuple(labels),
            score=round(min(1.0, score), 4),
            title=developer.title,
        )

    def _needs(self, mentions: Sequence[Mention]) -> list[Need]:
        needs = []
        for options, concept, first in _requirement_groups(mentions):
            if concept:
                requirement = self.index.requirement(options, CONCEPT_DEPTH_BONUS, CONCEPT_DEPTH_CAP)
            else:
                requirement = self.index.requirement(options)
            needs.append(Need(first, first.weight, concept, requirement))
        return needs

    def _eligible(self, needs: Sequence[Need], words: int) -> int | None:
        """Who can be a fit (a bitset), or None for anyone meeting a requirement; see the module's docstring."""
        top = max((need.tier for need in needs), default=0)
        if top == 0:
            named = any(not need.concept for need in needs)
            concepts = {need.mention.text.lower() for need in needs if need.concept}
            return None if named or len(concepts) * WORDS_PER_CONCEPT >= words else 0
        mask = 0
        for need in needs:
            if need.tier == top and need.requirement is not None:
                mask |= need.requirement.anyone
        if top == 2 or not mask:
            return mask
        return None

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


def _weighted(needs: Sequence[Need]) -> tuple[Need, ...]:
    """The needs with their requirements scaled by tier: nice-to-haves by NICE_FACTOR, and each higher tier so that
    the least of its requirements outweighs all those of the tiers below together."""
    factors = {0: 1.0, 1: 1.0, 2: 1.0}
    below = 0.0
    for tier in (0, 1, 2):
        bests = [need.requirement.best for need in needs if need.tier == tier and need.requirement is not None]
        bests = [best * NICE_FACTOR if tier == 0 else best for best in bests]
        if not bests:
            continue
        factors[tier] = 1.0 + below / min(bests) if tier else 1.0
        below += sum(bests) * factors[tier]
    scaled = []
    for need in needs:
        factor = factors[need.tier] * (NICE_FACTOR if need.weight == "nice" and not need.concept else 1.0)
        requirement = None if need.requirement is None else need.requirement.scaled(factor)
        scaled.append(replace(need, requirement=requirement, factor=factor))
    return tuple(scaled)


def _requirement_groups(mentions: Sequence[Mention]) -> list[tuple[list[tuple[str, float]], bool, Mention]]:
    """Each named technology is a requirement; a related mention joins the named one it came from, else its concept.

    Returns (options, is_concept, first mention) per requirement: the (technology key, weight) options that meet it.
    """
    groups: dict[str, list[tuple[str, float]]] = {}
    first: dict[str, Mention] = {}
    named_by_text: dict[str, list[str]] = {}
    for mention in mentions:
        if not mention.related:
            groups.setdefault(mention.key, [(mention.key, 1.0)])
            first.setdefault(mention.key, mention)
            named_by_text.setdefault(mention.text.lower(), []).append(mention.key)
    concepts = set()
    for mention in mentions:
        if mention.related:
            owners = named_by_text.get(mention.text.lower(), [])
            group = owners[0] if len(owners) == 1 else f"concept:{mention.text.lower()}"
            groups.setdefault(group, []).append((mention.key, RELATED_WEIGHT))
            first.setdefault(group, mention)
            if group.startswith("concept:"):
                concepts.add(group)
    return [(options, group in concepts, first[group]) for group, options in groups.items()]
