"""One reading of a description per request: what it asks for, ready for ranking, grounding, explanation and team.

A requirement is one technology the description names (credit: its rarity in the pool, times how well the
developer knows it) or one concept it names ("machine learning"; credit halved). Requirements come in tiers, and
each tier outweighs all the tiers below it together: must-haves, then the other named technologies, then
nice-to-haves (NICE_FACTOR) and concepts. So a nice-to-have never beats a must-have, and a concept never
outranks a named technology.

Who can be a fit at all: when the description has must-haves, only developers holding one of them, and nobody
when its headline must-have (the first a skills section lists, "Julia" in "Recommended skills: Julia, C", else the
first the text insists on) is held by nobody; otherwise,
when it names technologies that are not nice-to-haves, nobody unless someone holds one of those (a concept or a
nice-to-have alone never makes a fit for a project whose stack nobody has); a text naming no technology at all is
read through its concepts when it is about them (a short brief: "a data warehouse with dashboards"), not when a
concept passes by in a long story (WORDS_PER_CONCEPT).

The matcher scans the text once and gives two views (see `SkillMatcher.read`): the strict one is what the project
asks for; the lenient one (also names the context leaves undecided) is what a model's claim may be checked against
and scored on. The lenient reading is built only when asked for, and is the strict one when both views agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from bestdev.recommend.base import Unrecognised
from bestdev.recommend.skill_index import Cell, Requirement, SkillIndex
from bestdev.skills.emphasis import Weight
from bestdev.skills.matcher import Mention, SkillMatcher

RELATED_WEIGHT = 0.5
PROFILE_SHARE = 0.3  # each word of the description in a developer's title or project names: this share of the
PROFILE = "profile"  # least named requirement's credit, so the role decides between near equals
NICE_FACTOR = 0.3
MAIN_LANGUAGE_TIMES = 3  # a programming language named this often (and more than any other) is what the work is in
WORDS_PER_CONCEPT = 40  # a text naming no technology is about its concepts only if it names one per this many words
CONCEPT_DEPTH_BONUS = 0.1  # per further technology of the same concept a developer knows ...
CONCEPT_DEPTH_CAP = 4  # ... counting at most this many, so a concept stays below an exact match


@dataclass(frozen=True)
class Need:
    """One requirement as read from the description: the technology (or concept) named, how much the description
    insists on it, and who in the pool meets it (None when nobody does). `name` is the canonical technology name;
    for a concept, the concept as the description writes it."""

    mention: Mention
    weight: Weight
    concept: bool
    requirement: Requirement | None  # with its tier's factor applied (see _weighted)
    factor: float = 1.0
    name: str = ""
    exact: bool = True  # someone holds the named technology itself (not only a broader or related one)
    through: tuple[str, ...] = ()  # for a concept, the technologies the text names itself that implement it
    alternatives: tuple[str, ...] = ()  # for a choice ("Python or Go"), the technologies any of which meets it

    @property
    def tier(self) -> int:
        """2 for a must-have, 1 for another named technology, 0 for a nice-to-have or a concept."""
        if self.weight == "must" and not self.concept:
            return 2
        return 1 if self.weight == "normal" and not self.concept else 0

    @property
    def full(self) -> float:
        """The credit of a developer who fully holds it (a concept counts as if its technology were named, and a
        technology nobody holds counts as if the best related one were it: a PHP developer half fits Drupal)."""
        if self.requirement is None:
            return 0.0
        return self.requirement.best if self.exact and not self.concept else self.requirement.best / RELATED_WEIGHT


@dataclass(frozen=True, eq=False)
class Reading:
    """What the description asks for, and the requirements ready for ranking (weights applied).

    `mentions` is the strict view the needs come from, `lenient_mentions` the lenient one (see the module)."""

    needs: tuple[Need, ...]
    eligible: int | None
    affinity: tuple[int, ...]  # developers whose title or project names share a word with the description
    profile: tuple[Requirement, ...] = ()  # the same words as small requirements (see PROFILE_SHARE)
    mentions: tuple[Mention, ...] = ()
    read_leniently: Callable[[], Sequence[Mention]] | None = field(default=None, repr=False)
    reader: Reader | None = field(default=None, repr=False)
    words: int = 0
    unrecognised: tuple[Unrecognised, ...] = ()  # what it names that the vocabulary does not know
    headline_end: int = -1  # where the headline (the first line, or the first sentence) ends; -1: unknown

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
        """The score of a developer holding everything: a concept implemented by a technology the text names is
        held by holding that technology, so it adds nothing beyond it."""
        return sum(need.full for need in self.needs if not (need.concept and need.through))

    @property
    def required(self) -> list[str]:
        """The must-haves someone in the pool holds (every alternative of a choice)."""
        return [
            key
            for need in self.needs
            if need.weight == "must" and need.requirement is not None
            for key in need.alternatives or (need.mention.key,)
        ]

    @property
    def lenient_mentions(self) -> tuple[Mention, ...]:
        """The lenient view's mentions (the matcher works them out from the same scan when first asked for)."""
        return self.mentions if self.read_leniently is None else tuple(self.read_leniently())

    @property
    def lenient(self) -> Reading:
        """The reading of the lenient view: itself when both views agree."""
        return self if self.read_leniently is None else self._lenient

    @cached_property
    def _lenient(self) -> Reading:
        lenient = self.lenient_mentions
        if self.reader is None or lenient == self.mentions:
            return self
        return self.reader.reading(lenient, None, self.affinity, self.words, self.headline_end)


class Reader:
    """Reads descriptions against one pool: the matcher finds the mentions, the index says who meets each."""

    def __init__(self, matcher: SkillMatcher, index: SkillIndex) -> None:
        self.matcher = matcher
        self.index = index

    def read(self, description: str, mentions: Sequence[Mention] | None = None) -> Reading:
        """The reading of a description: one scan of it by the matcher, unless `mentions` are given (then the
        lenient view is those mentions too)."""
        unrecognised: tuple[Unrecognised, ...] = ()
        read_leniently: Callable[[], Sequence[Mention]] | None = None
        if mentions is None:
            found = self.matcher.read(description)
            strict = found.strict
            read_leniently = None if found.agreed else lambda: found.lenient
            unrecognised = tuple(Unrecognised(item.text, item.suggestion) for item in found.unrecognised)
        else:
            strict = list(mentions)
        words, headline_end = len(description.split()), _headline_end(description)
        reading = self.reading(strict, read_leniently, self.index.affinity(description), words, headline_end)
        return replace(reading, unrecognised=unrecognised) if unrecognised else reading

    def reading(
        self,
        strict: Sequence[Mention],
        read_leniently: Callable[[], Sequence[Mention]] | None,
        affinity: tuple[int, ...],
        words: int,
        headline_end: int = -1,
    ) -> Reading:
        """The reading of these mentions; `read_leniently` gives the lenient view when asked (None: the same).

        Near equals are told apart by the profile: developers whose title or project names share a word with the
        description, those holding the headline must-have of a skills section, and those whose title names the
        headline technology (that must-have, else the first technology the headline asks for: "Kotlin" in "Kotlin
        compiler error messages"): a "Node.js Developer" before a "Java Developer" who also knows Node.js."""
        needs = _weighted(self._needs(strict))
        met = [need.requirement.best for need in needs if need.requirement is not None and need.tier > 0]
        credit = PROFILE_SHARE * min(met, default=0.0)
        masks = list(affinity)
        musts = [need for need in needs if need.tier == 2]
        first = next((need for need in needs if need.mention.start < headline_end and need.tier > 0), None)
        headlines = [] if first is None else [first]
        if musts and any(need.mention.listed for need in musts):  # near equals: who holds the headline comes first
            headline = _headline(needs)
            headlines.append(headline)
            if headline.requirement is not None:
                masks.append(headline.requirement.cells[0].mask)
        titled = 0
        for need in headlines:
            for key in need.alternatives or (need.mention.key,):
                titled |= self.index.titled(key)
        if titled:
            masks.append(titled)
        profile = tuple(Requirement((Cell(credit, mask, PROFILE, 1.0),), mask) for mask in masks) if credit else ()
        eligible = _eligible(needs, words)
        if eligible != 0 and _written_in_what_nobody_knows(needs, self.matcher.languages):
            eligible = 0
        return Reading(
            needs,
            eligible,
            affinity,
            profile,
            tuple(strict),
            read_leniently,
            self,
            words,
            headline_end=headline_end,
        )

    def _needs(self, mentions: Sequence[Mention]) -> list[Need]:
        needs = []
        for options, concept, first, through in _requirement_groups(mentions):
            if concept:
                requirement = self.index.requirement(options, CONCEPT_DEPTH_BONUS, CONCEPT_DEPTH_CAP)
            else:
                requirement = self.index.requirement(_even(options, self.index))
            named = [key for key, factor in options if factor == 1.0]
            name = first.text if concept else " or ".join(self.matcher.name(key) for key in named)
            exact = concept or requirement is None or requirement.cells[0].key in (named or [first.key])
            alternatives = tuple(named) if len(named) > 1 and not concept else ()
            needs.append(
                Need(
                    first,
                    first.weight,
                    concept,
                    requirement,
                    name=name,
                    exact=exact,
                    through=through,
                    alternatives=alternatives,
                )
            )
        return needs


def _headline_end(description: str) -> int:
    """Where the headline ends: the first line of a text of several lines (its title), else the first sentence."""
    text = description.rstrip()
    line = text.find("\n", len(text) - len(text.lstrip()))
    if line > 0:
        return line
    sentence = _SENTENCE_END.search(text)
    return len(text) if sentence is None else sentence.start()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def _eligible(needs: Sequence[Need], words: int) -> int | None:
    """Who can be a fit (a bitset), or None for anyone meeting a requirement; see the module's docstring."""
    top = max((need.tier for need in needs), default=0)
    if top == 0:
        named = any(not need.concept for need in needs)
        concepts = {need.mention.text.lower() for need in needs if need.concept}
        return None if named or len(concepts) * WORDS_PER_CONCEPT >= words else 0
    if top == 2 and _headline(needs).requirement is None:
        return 0  # the headline must-have is held by nobody: side skills do not make a fit
    mask = 0
    for need in needs:
        if need.tier == top and need.requirement is not None:
            mask |= need.requirement.anyone
    if top == 2 or not mask:
        return mask
    return None


def _written_in_what_nobody_knows(needs: Sequence[Need], languages: Collection[str]) -> bool:
    """Whether the work is in a programming language nobody in the pool holds: the language the text names most
    (MAIN_LANGUAGE_TIMES times or more, more often than any other language), held by nobody, unless the first
    must-have a skills section lists is someone's and that language is not listed (then the work named there
    can be done). A brief about a Julia package that mentions its C dependency once has no fit among C developers."""
    named = [need for need in needs if not need.concept and not need.alternatives and need.mention.key in languages]
    if not named:
        return False
    main = max(named, key=lambda need: need.mention.times)
    if main.requirement is not None or main.mention.times < MAIN_LANGUAGE_TIMES:
        return False
    if any(other is not main and other.mention.times >= main.mention.times for other in named):
        return False
    listed = [need for need in needs if need.tier == 2 and need.mention.listed]
    return not (listed and not main.mention.listed and _headline(needs).requirement is not None)


def _headline(needs: Sequence[Need]) -> Need:
    """The first must-have a skills section lists, else the first must-have the text insists on."""
    musts = [need for need in needs if need.tier == 2]
    listed = [need for need in musts if need.mention.listed]
    return min(listed or musts, key=lambda need: need.mention.listed_at if listed else need.mention.emphasis_at)


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


def _even(options: list[tuple[str, float]], index: SkillIndex) -> list[tuple[str, float]]:
    """A choice's alternatives credited alike: any of them meets it as well as the rarest would."""
    named = [key for key, factor in options if factor == 1.0 and key in index.rarity]
    if len(named) < 2:
        return options
    rarest = max(index.rarity[key] for key in named)
    return [(key, rarest / index.rarity[key] if key in named else factor) for key, factor in options]


def _first_and_strongest(current: Mention | None, new: Mention) -> Mention:
    """Of alternatives, the first named, with the strongest weight any of them has."""
    if current is None:
        return new
    rank = {"nice": 0, "normal": 1, "must": 2}
    return replace(current, weight=new.weight) if rank[new.weight] > rank[current.weight] else current


def _requirement_groups(
    mentions: Sequence[Mention],
) -> list[tuple[list[tuple[str, float]], bool, Mention, tuple[str, ...]]]:
    """Each named technology is a requirement; a related mention joins the named one it came from, else its concept.

    Returns (options, is_concept, first mention, through) per requirement: the (technology key, weight) options
    that meet it in the ranking, and for a concept the technologies named themselves that implement it (they hold
    the concept, but their credit is the named requirement's).
    """
    groups: dict[str, list[tuple[str, float]]] = {}
    first: dict[str, Mention] = {}
    through: dict[str, list[str]] = {}
    named_by_text: dict[str, list[str]] = {}
    for mention in mentions:
        if not mention.related:
            group = mention.key if mention.either < 0 else f"either:{mention.either}"  # alternatives: one group
            groups.setdefault(group, []).append((mention.key, 1.0))
            first[group] = _first_and_strongest(first.get(group), mention)
            named_by_text.setdefault(mention.text.lower(), []).append(group)
    concepts = set()
    for mention in mentions:
        if mention.related:
            owners = named_by_text.get(mention.text.lower(), [])
            group = owners[0] if len(owners) == 1 else f"concept:{mention.text.lower()}"
            if mention.also_named:
                through.setdefault(group, []).append(mention.key)
                continue
            groups.setdefault(group, []).append((mention.key, RELATED_WEIGHT))
            first.setdefault(group, mention)
            if group.startswith("concept:"):
                concepts.add(group)
    return [
        (options, group in concepts, first[group], tuple(through.get(group, ()))) for group, options in groups.items()
    ]
