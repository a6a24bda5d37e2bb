"""Who is free, and how well they know it: the last ordering step of a ranking, after coverage is known.

Levels: between otherwise equal fits (the same score and coverage), the developer with the higher levels in what
they match ranks ahead; a matched skill without a level counts as NEUTRAL_LEVEL, so a pool without levels keeps
its order. Availability, only when a request names its `start`: a developer not free on that day never ranks above
a free developer with at least the same coverage; among the free, and among the busy, the order stays. Every
recommendation carries when its developer is free (`available_from`, `allocation`) and, with a start, whether
they are free by then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from bestdev.pool import Developer, Pool
from bestdev.recommend.base import Member, Outcome, Recommendation
from bestdev.recommend.skill_index import SkillIndex

NEUTRAL_LEVEL = 3.0


def widened(
    rank: Callable[[int], list[Recommendation]], pool: Pool, top_k: int, start: date | None
) -> list[Recommendation]:
    """The ranking `rank(k)` gives, wide enough to order: everyone when someone is busy on `start` (a free
    developer with the same coverage may rank far below); with levels in the pool, past every equal fit of the
    last place."""
    everyone = len(pool.developers)
    if start is not None and pool.anyone_busy_on(start):
        return rank(everyone)
    ranked = rank(top_k)
    if not pool.levelled:
        return ranked
    k = top_k
    while len(ranked) == k and k < everyone and ranked[-1].score == ranked[top_k - 1].score:
        k = min(everyone, 2 * k)
        ranked = rank(k)
    return ranked


def arranged(outcome: Outcome, pool: Pool, top_k: int, start: date | None, *, keep_first: bool = False) -> Outcome:
    """The recommendations with levels and availability, levels breaking ties, the busy after the free with at
    least their coverage, at most top_k. `keep_first` keeps the first one first (a model's pick) but for its
    availability."""
    described = [_described(item, pool, start) for item in outcome.recommendations]
    by_level = described[:1] + _by_level(described[1:]) if keep_first else _by_level(described)
    ordered = _free_first(by_level) if start is not None else by_level
    return replace(outcome, recommendations=tuple(ordered[:top_k]))


def member_availability(member: Member, pool: Pool, start: date | None) -> Member:
    developer = pool.find(member.name)
    if developer is None:  # never: members come from the pool
        return member
    free = None if start is None else developer.free_on(start)
    return replace(member, available_from=developer.available_from, allocation=developer.allocation, free=free)


def free_mask(index: SkillIndex, pool: Pool, start: date | None) -> int | None:
    """The developers free on `start` as a bitset over the index; None without a start."""
    if start is None:
        return None
    mask = 0
    for position, developer in enumerate(pool.developers):
        if developer.free_on(start):
            mask |= 1 << index.bit(position)
    return mask


def _described(item: Recommendation, pool: Pool, start: date | None) -> Recommendation:
    developer = pool.find(item.name)
    if developer is None:  # never: recommendations come from the pool
        return item
    return replace(
        item,
        levels=_levels(developer, item.matched_skills),
        available_from=developer.available_from,
        allocation=developer.allocation,
        free=None if start is None else developer.free_on(start),
    )


def _levels(developer: Developer, skills: Sequence[str]) -> tuple[tuple[str, int], ...]:
    return tuple((skill, level) for skill in skills if (level := developer.level(skill)) is not None)


def _mean_level(item: Recommendation) -> float:
    if not item.matched_skills:
        return NEUTRAL_LEVEL
    given = dict(item.levels)
    return sum(given.get(skill, NEUTRAL_LEVEL) for skill in item.matched_skills) / len(item.matched_skills)


def _by_level(items: list[Recommendation]) -> list[Recommendation]:
    """Within each run of equal fits (score and coverage), the higher levels first; the runs keep their order."""
    ordered: list[Recommendation] = []
    run: list[Recommendation] = []
    for item in items:
        if run and (item.score, item.coverage) != (run[0].score, run[0].coverage):
            ordered += sorted(run, key=lambda entry: -_mean_level(entry))
            run = []
        run.append(item)
    return ordered + sorted(run, key=lambda entry: -_mean_level(entry))


def _free_first(items: list[Recommendation]) -> list[Recommendation]:
    """Each next one is the first in order that no remaining free developer outdoes (at least the same coverage)."""
    remaining = list(items)
    ordered = []
    while remaining:
        best_free = max((item.coverage or 0.0 for item in remaining if item.free), default=None)
        for index, item in enumerate(remaining):
            if item.free or best_free is None or (item.coverage or 0.0) > best_free:
                ordered.append(remaining.pop(index))
                break
    return ordered
