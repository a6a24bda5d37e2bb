"""Who knows which technology, how well, as bitsets over the pool: built once, then top-k in microseconds.

Developers are numbered in name order, so the lowest set bit among equals is the deterministic tie-break. Each
technology keeps one bitset per level of knowledge (a listed skill also used in a project, a listed skill, a
technology only seen in the project history, and each of those reached through a more specific technology).
A query is a handful of requirements, each a list of (credit, bitset) cells; `top` walks the combinations of
cells best-first, pruning empty intersections, so its cost follows the number of distinct skill profiles that
can still reach the top, not the size of the pool. Developers who score the same are ordered by how many words of
the description their title and project names share (the same bitsets, one per word), then by name.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bestdev.pool import Developer, name_key
from bestdev.skills.matcher import SkillMatcher

SKILL_WEIGHT = 1.0
PROJECT_BONUS = 0.1
PROJECT_WEIGHT = 0.6
IMPLIED_FACTOR = 0.8
DEPTH_BONUS = 0.1  # each further specific skill implying the same technology (SwiftUI, Xcode, Core Data -> iOS)
_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of a title that say nothing about the kind of work ("Senior Developer").
_GENERIC_TITLE = (
    "developer engineer senior junior lead principal staff specialist consultant expert architect the "
    "and for of with project app system platform"
)
_GENERIC_TITLE_WORDS = frozenset(_GENERIC_TITLE.split())
_DENSE = 256  # postings with at least this many developers are kept as one big int; smaller ones as bit numbers
_EPSILON = 1e-9


@dataclass(frozen=True)
class Knowledge:
    """How a developer knows a technology: the pool's own label for it, and how strongly."""

    label: str
    level: float


def knowledge(developer: Developer, matcher: SkillMatcher) -> dict[str, Knowledge]:
    """Technology key -> how this developer knows it: skills, project history, and what those imply.

    A technology known only through more specific ones counts IMPLIED_FACTOR of the best of them, plus
    DEPTH_BONUS for each further one (capped at a listed skill used in a project).
    """
    used = {matcher.canonical(tech) for project in developer.projects for tech in project.technologies}
    known: dict[str, Knowledge] = {}
    for skill in developer.skills:
        key = matcher.canonical(skill)
        _keep(known, key, Knowledge(skill, SKILL_WEIGHT + (PROJECT_BONUS if key in used else 0.0)))
    for tech in developer.experience:
        _keep(known, matcher.canonical(tech), Knowledge(tech, PROJECT_WEIGHT))
    implied: dict[str, list[Knowledge]] = {}
    for key, how in list(known.items()):
        for broader in matcher.implied(key):
            implied.setdefault(broader, []).append(Knowledge(how.label, how.level * IMPLIED_FACTOR))
    for key, ways in implied.items():
        if key not in known:  # what the pool lists directly is never second-guessed
            best = max(ways, key=lambda how: how.level)
            level = min(SKILL_WEIGHT + PROJECT_BONUS, best.level + DEPTH_BONUS * (len(ways) - 1))
            known[key] = Knowledge(best.label, round(level, 6))
    return known


def _keep(known: dict[str, Knowledge], key: str, how: Knowledge) -> None:
    if key not in known or how.level > known[key].level:
        known[key] = how


@dataclass(frozen=True)
class Cell:
    """Developers who earn `credit` for a requirement, through technology `key` known at `level`."""

    credit: float
    mask: int
    key: str
    level: float


@dataclass(frozen=True)
class Requirement:
    """One thing the project asks for; a developer earns the credit of the single best cell they are in."""

    cells: tuple[Cell, ...]
    anyone: int

    @property
    def best(self) -> float:
        return self.cells[0].credit

    def scaled(self, factor: float) -> Requirement:
        """The same requirement with every credit multiplied by `factor` (how much the project insists on it)."""
        cells = tuple(Cell(cell.credit * factor, cell.mask, cell.key, cell.level) for cell in self.cells)
        return Requirement(cells, self.anyone)


@dataclass(frozen=True)
class Ranked:
    """A developer (pool index), their score, how many requirements they meet and the cell of each (or None)."""

    index: int
    bit: int
    score: float
    count: int
    cells: tuple[Cell | None, ...]


class _Posting:
    """The developers who know one technology at one level, and the pool's own label for it per developer."""

    __slots__ = ("bits", "label", "labels", "mask")

    def __init__(self, bits: array[int], labels: list[str], size: int) -> None:
        self.bits = bits
        self.mask = _to_int(bits, size) if len(bits) >= _DENSE else None
        self.label = labels[0] if len(labels) == 1 else _most_common(labels)
        self.labels = {bit: label for bit, label in zip(bits, labels, strict=True) if label != self.label}

    def as_int(self, size: int) -> int:
        return self.mask if self.mask is not None else _to_int(self.bits, size)


class SkillIndex:
    def __init__(self, developers: Sequence[Developer], matcher: SkillMatcher) -> None:
        self.size = len(developers)
        self._order = sorted(range(self.size), key=lambda i: (name_key(developers[i].name), developers[i].name))
        self._bit_of = {index: bit for bit, index in enumerate(self._order)}
        collected: dict[str, dict[float, tuple[array[int], list[str]]]] = {}
        described: dict[str, array[int]] = {}
        titled: dict[str, array[int]] = {}
        title_keys: dict[str, tuple[str, ...]] = {}  # worked out once per distinct title
        for bit, index in enumerate(self._order):
            title = developers[index].title
            if title:
                if title not in title_keys:
                    title_keys[title] = tuple(
                        dict.fromkeys(m.key for m in matcher.find(title) if not m.related and m.via != "concept")
                    )
                for key in title_keys[title]:
                    titled.setdefault(key, array("I")).append(bit)
            for key, how in knowledge(developers[index], matcher).items():
                bits, labels = collected.setdefault(key, {}).setdefault(how.level, (array("I"), []))
                bits.append(bit)
                labels.append(how.label)
            for word in _profile_words(developers[index]):
                described.setdefault(word, array("I")).append(bit)
        self._described = {word: _to_int(bits, self.size) for word, bits in described.items()}
        self._titled = {key: _to_int(bits, self.size) for key, bits in titled.items()}
        self._postings = {
            key: {level: _Posting(bits, labels, self.size) for level, (bits, labels) in levels.items()}
            for key, levels in collected.items()
        }
        self.rarity = {
            key: math.log((1 + self.size) / (1 + sum(len(posting.bits) for posting in levels.values()))) + 1.0
            for key, levels in self._postings.items()
        }

    def __contains__(self, key: str) -> bool:
        return key in self._postings

    def holders(self, key: str) -> int:
        """The developers (as a bitset) who know technology `key` at any level."""
        mask = 0
        for posting in self._postings.get(key, {}).values():
            mask |= posting.as_int(self.size)
        return mask

    def titled(self, key: str) -> int:
        """The developers (as a bitset) whose title names technology `key` ("Full Stack Node.js Developer")."""
        return self._titled.get(key, 0)

    def bit(self, index: int) -> int:
        """Where developer `index` (their pool position) stands in the bitsets."""
        return self._bit_of[index]

    def position(self, bit: int) -> int:
        """The pool position of the developer at `bit`."""
        return self._order[bit]

    def affinity(self, text: str) -> tuple[int, ...]:
        """One bitset per word of `text` that some developer's title or project names hold."""
        words = {word.lower() for word in _WORD.findall(text)}
        return tuple(self._described[word] for word in sorted(words) if word in self._described)

    def label(self, cell: Cell, bit: int) -> str:
        """The pool's own name for the technology that earned developer `bit` this cell."""
        posting = self._postings[cell.key][cell.level]
        return posting.labels.get(bit, posting.label)

    def requirement(
        self, options: Sequence[tuple[str, float]], depth_bonus: float = 0.0, depth_cap: int = 0
    ) -> Requirement | None:
        """Cells for one requirement met by any of `options` (key, factor); None when nobody meets it.

        A developer earns the credit of the best option they know; with `depth_bonus`, that credit grows by this
        share for each further option they know, up to `depth_cap` of them.
        """
        raw = sorted(
            (
                Cell(self.rarity[key] * level * factor, posting.as_int(self.size), key, level)
                for key, factor in options
                if key in self._postings
                for level, posting in self._postings[key].items()
            ),
            key=lambda cell: -cell.credit,
        )
        cells, seen = [], 0
        for cell in raw:
            fresh = cell.mask & ~seen
            if fresh:
                cells.append(Cell(cell.credit, fresh, cell.key, cell.level))
                seen |= cell.mask
        if not cells:
            return None
        if depth_bonus and depth_cap:
            cells = self._deepened(cells, seen, raw, depth_bonus, depth_cap)
        return Requirement(tuple(cells), seen)

    @staticmethod
    def _deepened(cells: list[Cell], seen: int, raw: list[Cell], bonus: float, cap: int) -> list[Cell]:
        """Split each cell by how many of the options its developers know (a bitset counter), adding the bonus."""
        known_by_key: dict[str, int] = {}
        for cell in raw:
            known_by_key[cell.key] = known_by_key.get(cell.key, 0) | cell.mask
        by_count = _by_count(seen, list(known_by_key.values()))
        deepened = [
            Cell(cell.credit * (1 + bonus * min(cap, count - 1)), cell.mask & mask, cell.key, cell.level)
            for cell in cells
            for count, mask in by_count
            if cell.mask & mask
        ]
        return sorted(deepened, key=lambda cell: -cell.credit)

    def assess(self, requirements: Sequence[Requirement], index: int) -> Ranked | None:
        """One developer (pool index) scored as `top` would score them; None when they meet no requirement."""
        bit = self._bit_of[index]
        cells = tuple(next((cell for cell in r.cells if cell.mask >> bit & 1), None) for r in requirements)
        met = [cell for cell in cells if cell is not None]
        if not met:
            return None
        return Ranked(index, bit, round(sum(cell.credit for cell in met), 9), len(met), cells)

    def top(
        self,
        requirements: Sequence[Requirement],
        k: int,
        eligible: int | None = None,
        affinity: Sequence[int] = (),
    ) -> list[Ranked]:
        """The k best developers by (score desc, requirements met desc, affinity desc, name); only those meeting
        any requirement, and only among `eligible` (a bitset) when given. `affinity` holds bitsets of developers
        whose profile shares a word with the project (see `affinity`)."""
        if not requirements or k <= 0:
            return []
        order = sorted(range(len(requirements)), key=lambda i: -requirements[i].best)
        reqs = [requirements[i] for i in order]
        ahead = [sum(r.best for r in reqs[i:]) for i in range(len(reqs) + 1)]
        start = 0
        for requirement in reqs:
            start |= requirement.anyone
        if eligible is not None:
            start &= eligible
        heap: list[tuple[float, int, int, float, int, int, tuple[int, ...]]] = [(-ahead[0], 0, 0, 0.0, 0, start, ())]
        complete: list[tuple[float, int, tuple[int, ...], int]] = []
        found, counter, floor = 0, 1, -math.inf
        while heap and not (found >= k and -heap[0][0] < floor - _EPSILON):
            _, _, depth, score, count, mask, path = heapq.heappop(heap)
            if depth == len(reqs):
                complete.append((round(score, 9), count, path, mask))
                found += mask.bit_count()
                if found >= k and floor == -math.inf:
                    floor = score
                continue
            requirement = reqs[depth]
            children = [
                (score + cell.credit, count + 1, mask & cell.mask, choice)
                for choice, cell in enumerate(requirement.cells)
            ]
            children.append((score, count, mask & ~requirement.anyone, -1))
            for child_score, child_count, child_mask, choice in children:
                if child_mask:
                    bound = child_score + ahead[depth + 1]
                    state = (-bound, counter, depth + 1, child_score, child_count, child_mask, (*path, choice))
                    heapq.heappush(heap, state)
                    counter += 1
        return self._ranked(reqs, order, complete, k, affinity)

    def _ranked(
        self,
        reqs: Sequence[Requirement],
        order: Sequence[int],
        complete: list[tuple[float, int, tuple[int, ...], int]],
        k: int,
        affinity: Sequence[int],
    ) -> list[Ranked]:
        """Developers of the complete combinations, best first; equal scores and counts by affinity, then in name
        (bit) order."""
        ranked: list[Ranked] = []
        complete.sort(key=lambda entry: (-entry[0], -entry[1]))
        position = 0
        while position < len(complete) and len(ranked) < k:
            score, count = complete[position][:2]
            tied: list[tuple[int, int, tuple[int, ...]]] = []
            while position < len(complete) and complete[position][:2] == (score, count):
                path, mask = complete[position][2:]
                for level, part in _by_count(mask, affinity):
                    tied.extend((-level, bit, path) for bit in _bits(part, k - len(ranked)))
                position += 1
            for _, bit, path in sorted(tied)[: k - len(ranked)]:
                cells: list[Cell | None] = [None] * len(reqs)
                for requirement, original, choice in zip(reqs, order, path, strict=True):
                    cells[original] = requirement.cells[choice] if choice >= 0 else None
                ranked.append(Ranked(self._order[bit], bit, score, count, tuple(cells)))
        return ranked


def _profile_words(developer: Developer) -> set[str]:
    text = " ".join([developer.title or "", *(project.name for project in developer.projects)])
    return {word.lower() for word in _WORD.findall(text)} - _GENERIC_TITLE_WORDS


def _by_count(mask: int, groups: Sequence[int]) -> list[tuple[int, int]]:
    """`mask` split by how many of `groups` each member is in: (count, members), highest count first."""
    by_count = {0: mask}
    for group in groups:
        counted: dict[int, int] = {}
        for count, members in by_count.items():
            if members & group:
                counted[count + 1] = counted.get(count + 1, 0) | (members & group)
            if members & ~group:
                counted[count] = counted.get(count, 0) | (members & ~group)
        by_count = counted
    return sorted(by_count.items(), reverse=True)


def _most_common(labels: list[str]) -> str:
    """The most frequent label; the first seen among equals (as Counter.most_common, without building one)."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return max(counts, key=counts.__getitem__)


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
