"""Staffing a whole project: the smallest team from the pool that covers the most must-haves, then the most of the
other named technologies, then the most nice-to-haves and concepts (a weighted set cover, solved exactly).

The requirements are the description's checklist (see explain): who holds each is a bitset over the pool. The pool
splits into profiles, the developers holding exactly the same requirements, and a profile held inside another one
is never needed. The search grows teams one member at a time, keeping for each set of covered requirements the
best team reaching it, and dropping a set covered inside a more valuable one reached with no more members: exact,
and its cost follows the number of distinct profiles, not the size of the pool. Only when the profiles are very
varied (a long job post against a large pool) is it bounded (MAX_PROFILES, MAX_STATES: then a beam of BEAM sets per
team size over the most valuable profiles and the best few per requirement), and the answer says so.

Each profile is staffed by its best developer as the ranking orders them; members are listed in the order they
add the most, each with the requirements they are there for. Ties go to the broader profile, then the name order,
so the same description and pool always give the same team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bestdev import template
from bestdev.pool import Pool
from bestdev.recommend.availability import free_mask, member_availability
from bestdev.recommend.base import Backend, Member, Team
from bestdev.recommend.explain import NOTHING_RECOGNISED, Checklist, understood, with_suggestions
from bestdev.recommend.reading import Reading
from bestdev.recommend.skill_index import SkillIndex

MAX_SIZE = 6
MAX_PROFILES = 64  # undominated profiles searched exhaustively; beyond, the best few, and a few per requirement
BOUNDED_PROFILES = 24
PER_REQUIREMENT = 2
MAX_STATES = 256  # covered sets kept per team size in an exhaustive search (more, and it is bounded) ...
BEAM = 24  # ... and in a bounded one: the most valuable
DOMINANCE_CHECKS = 48  # a covered set is checked against this many more valuable ones for being inside one


@dataclass(frozen=True)
class Staffing:
    """The chosen developers (index bits) with the requirements each is there for (bitsets over the checklist)."""

    bits: tuple[int, ...]
    covers: tuple[int, ...]
    exact: bool


def staff(
    reading: Reading,
    index: SkillIndex,
    pool: Pool,
    max_size: int,
    backend: Backend,
    first: int | None = None,
    first_reason: str | None = None,
    start: date | None = None,
) -> Team:
    """The team for a reading, at most `max_size` people; `first` (a pool position) is a member chosen already, and
    `first_reason` the grounded reason for it, shown when it holds nothing of the strict reading."""
    checklist = Checklist.of(reading, index)
    first_bit = None if first is None else index.bit(first)
    found = search(reading, index, checklist, max_size, first_bit, free_mask(index, pool, start))
    members = []
    for bit, covers in zip(found.bits, found.covers, strict=True):
        developer = pool.developers[index.position(bit)]
        names = [name for number, name in enumerate(checklist.names) if covers >> number & 1]
        labels = _labels(reading, index, checklist, bit, covers)
        reason = template.reason(labels) if labels or first_reason is None else first_reason
        member = Member(developer.name, tuple(names), reason, developer.title)
        members.append(member_availability(member, pool, start))
    covered = 0
    for covers in found.covers:
        covered |= covers
    nobody = checklist.nobody()
    left_out = tuple(
        name for number, name in enumerate(checklist.names) if checklist.held[number] and not covered >> number & 1
    )
    return Team(
        members=tuple(members),
        uncovered=nobody,
        backend=backend,
        left_out=left_out,
        understood=understood(reading),
        unrecognised=reading.unrecognised,
        exact=found.exact,
        message=_message(reading, nobody, left_out, max_size),
    )


def search(
    reading: Reading,
    index: SkillIndex,
    checklist: Checklist,
    max_size: int,
    first: int | None = None,
    free: int | None = None,
) -> Staffing:
    """The best team (see the module's docstring) as index bits, `first` (an index bit) among them if given."""
    value = _Value(checklist)
    profiles = _profiles(checklist.held)
    candidates = _undominated(profiles)
    candidates.sort(key=lambda profile: (-value(profile), profile))
    exact = len(candidates) <= MAX_PROFILES
    states = MAX_STATES if exact else BEAM
    if not exact:
        candidates = _bounded(candidates, len(checklist.held))
    start: tuple[int, ...] = ()
    if first is not None:
        start = (sum(1 << number for number, mask in enumerate(checklist.held) if mask >> first & 1),)
    start_mask = start[0] if start else 0
    reachable = start_mask
    for profile in candidates:
        reachable |= profile
    rank = {profile: position for position, profile in enumerate(candidates)}
    # covered set -> (tie-break: the members' ranks sorted, the members' profiles)
    layer: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {start_mask: ((), start)}
    best_mask, best_team = start_mask, start
    for _ in range(len(start), max_size):
        if best_mask == reachable:
            break
        grown: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        for mask, (order, team) in layer.items():
            for profile in candidates:
                union = mask | profile
                if union == mask:
                    continue
                entry = (tuple(sorted((*order, rank[profile]))), (*team, profile))
                if union not in grown or entry[0] < grown[union][0]:
                    grown[union] = entry
        previous = list(layer)[:DOMINANCE_CHECKS]
        layer = {}
        kept: list[int] = []
        for union in sorted(grown, key=lambda mask: (-value(mask), mask)):
            # a set covered inside another one reached with no more members is never needed (checked against
            # the most valuable ones, where the supersets are)
            if any(union | other == other for other in (*kept[:DOMINANCE_CHECKS], *previous)):
                continue
            if len(layer) >= states:
                exact = False
                break
            layer[union] = grown[union]
            kept.append(union)
        if not layer:
            break
        top = kept[0]
        if value(top) > value(best_mask):
            best_mask, best_team = top, layer[top][1]
    return _staffed(reading, index, profiles, best_team, first, value, exact, free)


class _Value:
    """Covered requirements valued tier by tier: one more must-have outweighs any number of the others."""

    def __init__(self, checklist: Checklist) -> None:
        base = len(checklist.held) + 1
        self.tiers = [
            (base**tier, sum(1 << number for number, of in enumerate(checklist.tiers) if of == tier))
            for tier in (2, 1, 0)
        ]

    def __call__(self, mask: int) -> int:
        return sum(weight * (mask & members).bit_count() for weight, members in self.tiers)


def _profiles(held: Sequence[int]) -> dict[int, int]:
    """Developers (bitset) per profile: the requirements (bitset over the checklist) they hold, none-holders left
    out."""
    anyone = 0
    for mask in held:
        anyone |= mask
    profiles = {0: anyone}
    for number, mask in enumerate(held):
        split: dict[int, int] = {}
        for profile, members in profiles.items():
            inside = members & mask
            if inside:
                split[profile | 1 << number] = inside
            outside = members & ~mask
            if outside:
                split[profile] = split.get(profile, 0) | outside
        profiles = split
    profiles.pop(0, None)
    return profiles


def _undominated(profiles: dict[int, int]) -> list[int]:
    """The profiles not held inside another one."""
    ordered = sorted(profiles, key=lambda profile: -profile.bit_count())
    kept: list[int] = []
    for profile in ordered:
        if not any(profile | other == other for other in kept):
            kept.append(profile)
    return kept


def _bounded(candidates: list[int], requirements: int) -> list[int]:
    """The most valuable profiles, and the best few holding each requirement (so none becomes unreachable)."""
    chosen = dict.fromkeys(candidates[:BOUNDED_PROFILES])
    for number in range(requirements):
        holding = [profile for profile in candidates if profile >> number & 1][:PER_REQUIREMENT]
        chosen.update(dict.fromkeys(holding))
    rank = {profile: position for position, profile in enumerate(candidates)}
    return sorted(chosen, key=rank.__getitem__)


def _staffed(
    reading: Reading,
    index: SkillIndex,
    profiles: dict[int, int],
    team: Sequence[int],
    first: int | None,
    value: _Value,
    exact: bool,
    free: int | None = None,
) -> Staffing:
    """Each profile's best developer (the best free one, when `free` holds any), in the order they add the most,
    with what each is there for."""
    people: list[tuple[int, int]] = []
    for position, profile in enumerate(team):
        if position == 0 and first is not None:
            people.append((first, profile))
            continue
        members = profiles[profile]
        if free is not None and members & free:
            members &= free
        found = index.top(reading.requirements, 1, members, reading.affinity)
        bit = found[0].bit if found else _lowest(members)
        people.append((bit, profile))
    ordered: list[tuple[int, int]] = []
    covered = 0
    remaining = list(people)
    if first is not None:
        ordered.append(remaining.pop(0))
        covered = ordered[0][1]
    while remaining:
        best = max(remaining, key=lambda person: (value(person[1] & ~covered), -person[0]))
        remaining.remove(best)
        ordered.append(best)
        covered |= best[1]
    covers, so_far = [], 0
    for _, profile in ordered:
        covers.append(profile & ~so_far)
        so_far |= profile
    return Staffing(tuple(bit for bit, _ in ordered), tuple(covers), exact)


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def _labels(reading: Reading, index: SkillIndex, checklist: Checklist, bit: int, covers: int) -> list[str]:
    """The pool's own names for what the member is there for."""
    position = index.position(bit)
    entry = index.assess(reading.requirements, position)
    labels: dict[str, str] = {}
    if entry is not None:
        needs = [need for need in reading.needs if need.requirement is not None]
        for need, cell in zip(needs, entry.cells, strict=True):
            if cell is not None:
                labels[need.name] = index.label(cell, bit)
    names = [name for number, name in enumerate(checklist.names) if covers >> number & 1]
    return list(dict.fromkeys(labels.get(name, name) for name in names))


def _message(reading: Reading, nobody: Sequence[str], left_out: Sequence[str], max_size: int) -> str | None:
    if not reading.needs:
        return with_suggestions(NOTHING_RECOGNISED, reading)
    parts = []
    if nobody:
        parts.append(f"Nobody in the pool lists {template.join_skills(list(nobody), 'or')}.")
    if left_out:
        people = "person" if max_size == 1 else "people"
        parts.append(f"A team of {max_size} {people} cannot also cover {template.join_skills(list(left_out))}.")
    return " ".join(parts) or None
