"""Why a recommendation stands: what was read from the description, what each developer lacks, how much of the
project they cover, and, when nobody fits, who comes closest.

Coverage is a checklist, not the ranking's score: each requirement read from the description is held or not, and
weighs WEIGHTS[its weight] (a concept half that). A developer holds a named technology when the pool lists it
for them (as a skill, in their projects, or through a more specific technology that implies it, such as SwiftUI
for iOS), and a concept when they hold any technology that implements it. Coverage is the weight they hold over
the weight of everything read, so 1.0 means they hold everything the project named, and a requirement nobody in
the pool holds lowers everyone's coverage alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.base import Closest, Outcome, Recommendation, Understood
from bestdev.recommend.reading import Need, Reading
from bestdev.recommend.skill_index import SkillIndex

WEIGHTS = {"must": 2.0, "normal": 1.0, "nice": 0.5}
CONCEPT_SHARE = 0.5
RELATED_SHARE = 0.5  # a named technology held only through a broader or related one counts half
MIN_COVERAGE = 0.25  # a developer holding less of what was asked is not a fit, however they rank
LITTLE_COVERED = "Nobody in the pool holds enough of what this project asks for; the closest are listed below."
NOTHING_RECOGNISED = (
    "No technologies were recognised in the description: name the languages, frameworks or services the project uses."
)


def understood(reading: Reading) -> tuple[Understood, ...]:
    """What was read from the description, in order of appearance."""
    needs = sorted(reading.needs, key=lambda need: need.mention.start)
    return tuple(
        Understood(
            technology=need.name,
            text=need.mention.text,
            weight=need.mention.weight,
            via="concept" if need.concept else need.mention.via,
        )
        for need in needs
    )


@dataclass(frozen=True)
class Checklist:
    """The requirements of a reading in order of appearance, each with its weight, tier and who holds it."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    tiers: tuple[int, ...]  # 2 must-have, 1 other named technology, 0 nice-to-have or concept (as Need.tier)
    held: tuple[int, ...]  # bitsets over the index (SkillIndex.bit)
    related: tuple[int, ...] = ()  # who holds only a broader or related technology (PHP for Drupal): half of it

    @classmethod
    def of(cls, reading: Reading, index: SkillIndex) -> Checklist:
        needs = sorted(reading.needs, key=lambda need: need.mention.start)
        return cls(
            names=tuple(need.name for need in needs),
            weights=tuple(WEIGHTS[need.mention.weight] * (CONCEPT_SHARE if need.concept else 1.0) for need in needs),
            tiers=tuple(need.tier for need in needs),
            held=tuple(_holders(need, index) for need in needs),
            related=tuple(_related_holders(need, index) for need in needs),
        )

    @property
    def total(self) -> float:
        return sum(self.weights)

    def holds(self, bit: int) -> list[int]:
        """The requirements (their numbers) the developer at `bit` holds."""
        return [number for number, mask in enumerate(self.held) if mask >> bit & 1]

    def missing(self, bit: int) -> tuple[str, ...]:
        return tuple(name for name, mask in zip(self.names, self.held, strict=True) if not mask >> bit & 1)

    def coverage(self, bit: int) -> float:
        if not self.total:
            return 0.0
        held = sum(weight for weight, mask in zip(self.weights, self.held, strict=True) if mask >> bit & 1)
        held += sum(
            weight * RELATED_SHARE for weight, mask in zip(self.weights, self.related, strict=False) if mask >> bit & 1
        )
        return round(held / self.total, 4)

    def nobody(self) -> tuple[str, ...]:
        """What nobody in the pool holds."""
        return tuple(name for name, mask in zip(self.names, self.held, strict=True) if not mask)


def _related_holders(need: Need, index: SkillIndex) -> int:
    """Who holds a named technology only through a broader or related one."""
    if need.concept or need.requirement is None:
        return 0
    return need.requirement.anyone & ~_holders(need, index)


def _holders(need: Need, index: SkillIndex) -> int:
    """Who holds the requirement: for a concept, anyone with a technology implementing it (named or not)."""
    if need.concept:
        mask = 0 if need.requirement is None else need.requirement.anyone
        for key in need.through:
            mask |= index.holders(key)
        return mask
    if need.requirement is None:
        return 0
    mask = 0
    for key in need.alternatives or (need.mention.key,):
        mask |= index.holders(key)
    return mask


def explained(
    outcome: Outcome, reading: Reading, index: SkillIndex, pool: Pool, top_k: int, keep_first: bool = False
) -> Outcome:
    """The outcome with `understood`, each recommendation's `missing` and `coverage`, and the `closest`: those
    ranked but holding less than MIN_COVERAGE of what was asked (no fit, however they rank; `keep_first` keeps the
    first, a model's grounded pick), or, when nobody fits, the developers holding something related."""
    checklist = Checklist.of(reading, index)
    gaps = [_with_gaps(item, checklist, index, pool) for item in outcome.recommendations]
    fits = tuple(
        item
        for number, item in enumerate(gaps)
        if (keep_first and number == 0) or (item.coverage or 0.0) >= MIN_COVERAGE
    )
    below = [_not_fitting(item) for item in gaps if item not in fits]
    closest = tuple(below) if fits else (*below, *closest_to(reading, checklist, index, pool, top_k, below))
    message = LITTLE_COVERED if gaps and not fits else outcome.message
    if message is not None and not fits:
        message = with_suggestions(message, reading)
    return replace(
        outcome,
        recommendations=fits,
        understood=understood(reading),
        closest=closest,
        message=message,
        unrecognised=reading.unrecognised,
    )


def with_suggestions(message: str, reading: Reading) -> str:
    """The message, and what the description nearly spells: "... Did you mean Kubernetes?"."""
    meant = list(dict.fromkeys(item.did_you_mean for item in reading.unrecognised if item.did_you_mean))
    return f"{message} Did you mean {template.join_skills(meant, 'or')}?" if meant else message


def _not_fitting(item: Recommendation) -> Closest:
    return Closest(
        name=item.name,
        reason=_not_a_fit(item.matched_skills, item.missing),
        holds=item.matched_skills,
        missing=item.missing,
        coverage=item.coverage or 0.0,
        title=item.title,
    )


def _with_gaps(item: Recommendation, checklist: Checklist, index: SkillIndex, pool: Pool) -> Recommendation:
    position = pool.position(item.name)
    if position is None:  # never: recommendations come from the pool
        return item
    bit = index.bit(position)
    return replace(item, missing=checklist.missing(bit), coverage=checklist.coverage(bit))


def closest_to(
    reading: Reading, checklist: Checklist, index: SkillIndex, pool: Pool, k: int, shown: Sequence[Closest] = ()
) -> tuple[Closest, ...]:
    """Up to k developers holding something the project asks for or something related to it, best first, though
    none of them is a fit: a concept it names, a broader technology than one it names (through the reading's
    related options) or a narrower one (through what a developer's skills imply), or a requirement that is not a
    must-have when nobody holds the must-haves."""
    closest: list[Closest] = []
    names = {item.name for item in shown}
    for entry in index.top(reading.requirements, k + len(shown), None, reading.affinity):
        developer = pool.developers[entry.index]
        if developer.name in names or len(closest) + len(shown) >= k:
            continue
        holds = tuple(dict.fromkeys(index.label(cell, entry.bit) for cell in entry.cells if cell))
        missing = checklist.missing(entry.bit)
        closest.append(
            Closest(
                name=developer.name,
                reason=_not_a_fit(holds, missing),
                holds=holds,
                missing=missing,
                coverage=checklist.coverage(entry.bit),
                title=developer.title,
            )
        )
    return tuple(closest)


def _not_a_fit(holds: Sequence[str], missing: Sequence[str]) -> str:
    lacks = f"lacks {template.join_skills(list(missing))}" if missing else "holds only part of what was asked"
    return f"Not a fit: {lacks}. Closest because they have experience with {template.join_skills(list(holds))}."
