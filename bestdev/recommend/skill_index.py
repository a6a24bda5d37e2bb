"""Who knows which technology, how well, as bitsets over the pool: built once, then top-k in microseconds.

Developers are numbered in name order, so the lowest set bit among equals is the deterministic tie-break. Each
technology keeps one bitset per level of knowledge (a listed skill also used in a project, a listed skill, a
technology only seen in the project history, and each of those reached through a more specific technology).
A query is a handful of requirements, each a list of (credit, bitset) cells; `top` walks the combinations of
cells best-first, pruning empty intersections, so its cost follows the number of distinct skill profiles that
can still reach the top, not the size of the pool.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bestdev.pool import Developer, name_key
from bestdev.skills.matcher import SkillMatcher

SKILL_WEIGHT = 1.0
PROJECT_BONUS = 0.1
PROJECT_WEIGHT = 0.6
IMPLIED_FACTOR = 0.8
_DENSE = 256  # postings with at least this many developers are kept as one big int; smaller ones as bit numbers
_EPSILON = 1e-9


@dataclass(frozen=True)
class Knowledge:
    """How a developer knows a technology: the pool's own label for it, and how strongly."""

    label: str
    level: float


def knowledge(developer: Developer, matcher: SkillMatcher) -> dict[str, Knowledge]:
    """Technology key -> how this developer knows it: skills, project history, and what those imply."""
    used = {matcher.canonical(tech) for project in developer.projects for tech in project.technologies}
    known: dict[str, Knowledge] = {}
    for skill in developer.skills:
        key = matcher.canonical(skill)
        _keep(known, key, Knowledge(skill, SKILL_WEIGHT + (PROJECT_BONUS if key in used else 0.0)))
    for tech in developer.experience:
        _keep(known, matcher.canonical(tech), Knowledge(tech, PROJECT_WEIGHT))
    for key, how in list(known.items()):
        for implied in matcher.implied(key):
            _keep(known, implied, Knowledge(how.label, round(how.level * IMPLIED_FACTOR, 6)))
    return known


def _keep(known: dict[str, Knowledge], key: str, how: Knowledge) -> None:
    if key not in known or how.level > known[key].level:
        known[key] = how


@dataclass(frozen=True)
class Cell:
    credit: float
    mask: int


@dataclass(frozen=True)
class Requirement:
    """One thing the project asks for; a developer earns the credit of the single best cell they are in."""

    cells: tuple[Cell, ...]
    anyone: int

    @property
    def best(self) -> float:
        return self.cells[0].credit


@dataclass(frozen=True)
class Ranked:
    index: int
    score: float
    count: int


class _Posting:
    __slots__ = ("bits", "mask")

    def __init__(self, bits: array[int], size: int) -> None:
        self.bits = bits
        self.mask = _to_int(bits, size) if len(bits) >= _DENSE else None

    def as_int(self, size: int) -> int:
        return self.mask if self.mask is not None else _to_int(self.bits, size)


class SkillIndex:
    def __init__(self, developers: Sequence[Developer], matcher: SkillMatcher) -> None:
        self.size = len(developers)
        self._order = sorted(range(self.size), key=lambda i: (name_key(developers[i].name), developers[i].name))
        collected: dict[str, dict[float, array[int]]] = {}
        for bit, index in enumerate(self._order):
            for key, how in knowledge(developers[index], matcher).items():
                collected.setdefault(key, {}).setdefault(how.level, array("I")).append(bit)
        self._postings = {
            key: {level: _Posting(bits, self.size) for level, bits in levels.items()}
            for key, levels in collected.items()
        }
        self.rarity = {
            key: math.log((1 + self.size) / (1 + len({bit for bits in levels.values() for bit in bits}))) + 1.0
            for key, levels in collected.items()
        }

    def __contains__(self, key: str) -> bool:
        return key in self._postings

    def requirement(self, options: Sequence[tuple[str, float]]) -> Requirement | None:
        """Cells for one requirement met by any of `options` (key, factor); None when nobody meets it."""
        raw = sorted(
            (
                (self.rarity[key] * level * factor, posting.as_int(self.size))
                for key, factor in options
                if key in self._postings
                for level, posting in self._postings[key].items()
            ),
            key=lambda cell: -cell[0],
        )
        cells, seen = [], 0
        for credit, mask in raw:
            fresh = mask & ~seen
            if fresh:
                cells.append(Cell(credit, fresh))
                seen |= mask
        return Requirement(tuple(cells), seen) if cells else None

    def top(self, requirements: Sequence[Requirement], k: int) -> list[Ranked]:
        """The k best developers by (score desc, requirements met desc, name); only those meeting any."""
        if not requirements or k <= 0:
            return []
        reqs = sorted(requirements, key=lambda r: -r.best)
        ahead = [sum(r.best for r in reqs[i:]) for i in range(len(reqs) + 1)]
        start = 0
        for requirement in reqs:
            start |= requirement.anyone
        heap: list[tuple[float, int, int, float, int, int]] = [(-ahead[0], 0, 0, 0.0, 0, start)]
        groups: dict[tuple[float, int], int] = {}
        found, counter, floor = 0, 1, -math.inf
        while heap and not (found >= k and -heap[0][0] < floor - _EPSILON):
            _, _, depth, score, count, mask = heapq.heappop(heap)
            if depth == len(reqs):
                group = (round(score, 9), count)
                groups[group] = groups.get(group, 0) | mask
                found += mask.bit_count()
                if found >= k and floor == -math.inf:
                    floor = score
                continue
            requirement = reqs[depth]
            children = [(score + cell.credit, count + 1, mask & cell.mask) for cell in requirement.cells]
            children.append((score, count, mask & ~requirement.anyone))
            for child_score, child_count, child_mask in children:
                if child_mask:
                    bound = child_score + ahead[depth + 1]
                    heapq.heappush(heap, (-bound, counter, depth + 1, child_score, child_count, child_mask))
                    counter += 1
        ranked: list[Ranked] = []
        for (score, count), mask in sorted(groups.items(), key=lambda item: (-item[0][0], -item[0][1])):
            for bit in _bits(mask, k - len(ranked)):
                ranked.append(Ranked(self._order[bit], score, count))
            if len(ranked) >= k:
                break
        return ranked


def _to_int(bits: array[int], size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for bit in bits:
        buffer[bit >> 3] |= 1 << (bit & 7)
    return int.from_bytes(buffer, "little")


def _bits(mask: int, limit: int) -> Iterator[int]:
    """The lowest `limit` set bits of `mask`, ascending."""
    if limit <= 64:
        while mask and limit > 0:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low
            limit -= 1
        return
    text = format(mask, "b")[::-1]
    position = text.find("1")
    while position >= 0 and limit > 0:
        yield position
        limit -= 1
        position = text.find("1", position + 1)
