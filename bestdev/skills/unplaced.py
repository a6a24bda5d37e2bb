"""What a text names that the reading could not place, so that an answer can say so instead of dropping it.

Two kinds of evidence that words name a technology, though the vocabulary does not know them:

- they are an item of a skills section ("Recommended skills: Go, UX design"), or
- they are a name (capitalised, or in capitals) listed with technologies the reading did place: "Gleam and Elixir",
  "Kotlin, Gradle, Detekt", "React on Fly".

A name that is a near miss of a vocabulary name ("Kubernets") comes with its suggestion, wherever it stands (written
capitalised, or anywhere in a skills section); an inflection ("Pythons") is no near miss.

A misspelling in a skills section that demands its items ("Required skills: Kubernets, Pyhton") is read as the
technology it nearly spells (`misspelt`), when that is beyond doubt: one word of at least MISSPELT_MIN letters, a
letter or two off (a swap of two neighbours counts as one; at most one for words under MISSPELT_TWO letters) one
technology's name or alias and no other's, and not written with capitals inside (a name styled on purpose,
"OpenAPI", is no typo of "OpenAI"). The reading keeps the words as written, so the answer shows what was
assumed. Anywhere else a near miss is only suggested: in prose a word a letter off a name is as often another word.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bestdev.skills.language import AND_WORDS, OR_WORDS, alternation

_JOINER = rf"\s*(?:[,;/|&+•]|\b(?i:{alternation([*AND_WORDS, *OR_WORDS])})\b)\s*"
_TOKEN = r"[^\W_][\w.+#-]*"
_AFTER_JOINER = re.compile(rf"{_JOINER}(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)")
_TOKEN_RE = re.compile(_TOKEN)
_JOIN_MARKS = ",;/|&+•"
_JOIN_WORDS = frozenset(word.lower() for word in (*AND_WORDS, *OR_WORDS))
_ITEM_END = re.compile(rf"[ \t*_`'\"]*(?:[,;/|&+•.!?:)\n]|$|\b(?i:{alternation([*AND_WORDS, *OR_WORDS])})\b)")
_ITEM_OPENERS = ",;:/|&+•(.!?\n"
_BREAK_WORD = re.compile(rf"\b(?i:{alternation([*AND_WORDS, *OR_WORDS, 'with', 'on', 'in', 'using', 'for', 'of'])})$")
_WINDOW = 40
# A name: in capitals or with a digit ("DB2", "CICS"), joined capitals ("FastHTML"), or capitalised (not as the
# first word of a sentence, where any word is); one or two words.
_NAME = re.compile(r"^(?:[A-Z0-9][A-Z0-9.+#-]+|\w*\d\w*|[A-Za-z]+[a-z][A-Z][\w.+#-]*)(?:\s+[A-Z][\w.+#-]*)?$")
_CAPITALISED = re.compile(r"^[A-Z][a-z][\w.+#-]*(?:\s+[A-Z][\w.+#-]*)?$")
_MARKUP = " \t*_`'\"“”‘’[]{}>-.:"
_MAX_ITEM_WORDS = 4
_WORD = re.compile(r"\b[A-Za-z][A-Za-z+#]{4,}\b")
_NEAR = 0.85  # difflib ratio from which a word is a near miss of a vocabulary name
_MIN_NEAR = 5  # shorter words and names are too close to everything
_NEAR_KEPT = 4096  # words whose near miss is kept once worked out
MISSPELT_MIN = 6  # a skills item this long may be read as the technology it nearly spells ...
MISSPELT_TWO = 8  # ... one letter off, or two from this length
_SINGLE_WORD = re.compile(r"[A-Za-z][a-z+#]*|[A-Z]+")  # one word, with no capitals inside ("OpenAPI" is a name)
_JOINER_IN_ITEM = re.compile(rf"\s*[/&+]\s*|\s+\b(?i:{alternation([*AND_WORDS, *OR_WORDS])})\b\s+")


@dataclass(frozen=True)
class Unplaced:
    """Words the reading could not place, as written; `suggestion` a vocabulary name they nearly spell."""

    text: str
    suggestion: str | None = None


_SECTION_ITEM_BREAK = re.compile(r"\s*(?:[,;|•\n]|\s-\s|^\s*[-*+]\s)\s*", re.MULTILINE)


class Unplacer:
    """Built once from the vocabulary's names (lower-cased term -> its name); `find` then reads one text."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names
        self._by_letter: dict[str, list[str]] = {}
        for term in names:
            if len(term) >= _MIN_NEAR and term.isascii():
                self._by_letter.setdefault(term[0], []).append(term)
        self._near: dict[str, str | None] = {}
        self._spelt: dict[str, str | None] = {}

    def find(self, text: str, placed: Sequence[tuple[int, int]], sections: Sequence[tuple[int, int]]) -> list[Unplaced]:
        """What `text` names outside the `placed` spans that the vocabulary does not know, in order, once each."""
        found: dict[str, Unplaced] = {}
        overlaps = _Overlaps(placed)
        for start, end in sections:  # every item of a skills section the reading placed nothing in
            for item_start, item_end in _section_items(text, start, end):
                words = text[item_start:item_end].strip(_MARKUP)
                if words and not overlaps(item_start, item_end) and len(words.split()) <= _MAX_ITEM_WORDS:
                    found.setdefault(words.lower(), Unplaced(words, self.suggestion(words)))
        for name_start, name_end in _listed_beside(text, placed):  # names listed with technologies it placed
            words = text[name_start:name_end]
            if overlaps(name_start, name_end) or words.lower() in self.names or words.lower() in found:
                continue
            opens = _opens_sentence(text, name_start)
            if _NAME.match(words) is not None or (not opens and _CAPITALISED.match(words) is not None):
                found[words.lower()] = Unplaced(words, self.suggestion(words))
        outside = _outside(text, placed)
        for match in _WORD.finditer(outside):
            word = match.group()
            if not word[0].isupper() and not any(start <= match.start() < end for start, end in sections):
                continue  # an ordinary lower-case word ("scalar") is no near miss; a name is written capitalised
            if word.lower() not in found and word.lower() not in self.names:
                suggestion = self.suggestion(word)
                if suggestion is not None:
                    found[word.lower()] = Unplaced(word, suggestion)
        return list(found.values())

    def misspelt(
        self, text: str, placed: Sequence[tuple[int, int]], sections: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int, str]]:
        """The items of demanding skills `sections` outside the `placed` spans that misspell one technology beyond
        doubt (see the module): (start, end, the vocabulary term they nearly spell), in order."""
        found = []
        overlaps = _Overlaps(placed)
        for start, end in sections:
            for item_start, item_end in _section_items(text, start, end):
                for part in _item_parts(text, item_start, item_end):
                    words = text[part[0] : part[1]]
                    stripped = words.strip(_MARKUP)
                    if len(stripped) < MISSPELT_MIN or _SINGLE_WORD.fullmatch(stripped) is None:
                        continue
                    if overlaps(*part) or stripped.lower() in self.names:
                        continue
                    term = self._misspelt(stripped.lower())
                    if term is not None:
                        begin = part[0] + words.index(stripped)
                        found.append((begin, begin + len(stripped), term))
        return found

    def _misspelt(self, word: str) -> str | None:
        """The one technology's term `word` misspells, if any; worked out once per word (as `suggestion`)."""
        if word not in self._spelt:
            if len(self._spelt) >= _NEAR_KEPT:
                self._spelt.clear()
            limit = 1 if len(word) < MISSPELT_TWO else 2
            letters = set(word)
            near = [
                term
                for term in self._by_letter.get(word[0], ())
                if abs(len(term) - len(word)) <= limit and len(letters.symmetric_difference(term)) <= 2 * limit
                if not term.startswith(word) and not word.startswith(term) and edits(word, term, limit) <= limit
            ]
            named = {self.names[term] for term in near}
            self._spelt[word] = near[0] if len(named) == 1 else None
        return self._spelt[word]

    def suggestion(self, words: str) -> str | None:
        """The vocabulary name `words` nearly spells (a letter or two off), if any; worked out once per word."""
        word = words.lower()
        if word not in self._near:
            if len(self._near) >= _NEAR_KEPT:
                self._near.clear()
            self._near[word] = self._nearest(word)
        return self._near[word]

    def _nearest(self, word: str) -> str | None:
        if len(word) < _MIN_NEAR:
            return None
        close = [
            term
            for term in self._by_letter.get(word[0], ())
            if abs(len(term) - len(word)) <= 2 and not word.startswith(term) and not term.startswith(word)
        ]
        best = difflib.get_close_matches(word, close, n=1, cutoff=_NEAR)
        return self.names[best[0]] if best else None


def edits(one: str, other: str, limit: int) -> int:
    """The letters to insert, delete, change or swap with a neighbour to turn `one` into `other` (optimal string
    alignment), or limit + 1 once it is more than `limit`."""
    if abs(len(one) - len(other)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(other) + 1))
    for i, char in enumerate(one, 1):
        current = [i] + [0] * len(other)
        for j, other_char in enumerate(other, 1):
            cost = 0 if char == other_char else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == other[j - 2] and one[i - 2] == other_char:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


class _Overlaps:
    """Whether a span overlaps one of the placed spans (which do not overlap each other): a binary search."""

    def __init__(self, placed: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(placed)
        self.starts = [start for start, _ in ordered]
        self.ends = [end for _, end in ordered]

    def __call__(self, start: int, end: int) -> bool:
        first = bisect.bisect_right(self.ends, start)  # the first placed span ending after `start`
        return first < len(self.starts) and self.starts[first] < end


def _listed_beside(text: str, placed: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a one- or two-word item stands joined by a list joiner to a placed span, right after or right before
    it: "Kafka and DB2", "Gleam, Kafka". Each is a whole item (a separator or the text's end after it)."""
    spans = []
    for start, end in placed:
        after = _AFTER_JOINER.match(text, end)
        if after is not None:
            spans.extend(_whole_items(text, after.start("name"), after.end("name"), after_placed=True))
        before = _name_before(text, start)
        if before is not None:
            spans.extend(_whole_items(text, *before, after_placed=False))
    return sorted(set(spans))


def _name_before(text: str, position: int) -> tuple[int, int] | None:
    """The one or two words joined by a list joiner to what stands at `position` ("Gleam, " before "Kafka")."""
    base = max(0, position - _WINDOW)
    window = text[base:position].rstrip()
    if not window:
        return None
    if window[-1] in _JOIN_MARKS:
        joiner = len(window) - 1
    else:
        last = window.rsplit(None, 1)[-1]
        if last.lower() not in _JOIN_WORDS:
            return None
        joiner = len(window) - len(last)
    named = window[:joiner].rstrip()
    words = named.split()[-2:]
    if not words or not _TOKEN_RE.fullmatch(words[-1]):
        return None
    start = (
        len(named) - len(" ".join(words))
        if len(words) == 2 and _TOKEN_RE.fullmatch(words[0])
        else (len(named) - len(words[-1]))
    )
    if named[start:] != " ".join(words) and named[start:] != words[-1]:  # words were apart by more than a space
        start = len(named) - len(words[-1])
    return base + start, base + len(named)


def _whole_items(text: str, start: int, end: int, *, after_placed: bool) -> list[tuple[int, int]]:
    """The name at start:end, or its last (after a placed span: first) word, where that is a whole item."""
    candidates = [(start, end)]
    inner = text.find(" ", start, end)
    if inner > 0:
        last = text.rfind(" ", start, end) + 1
        candidates.append((start, inner) if after_placed else (last, end))
    return [
        (item_start, item_end)
        for item_start, item_end in candidates
        if _ITEM_END.match(text, item_end) is not None and _item_starts(text, item_start)
    ][:1]


def _item_starts(text: str, position: int) -> bool:
    before = text[max(0, position - _WINDOW) : position].rstrip(" \t*_`'\"")
    return not before or before[-1] in _ITEM_OPENERS or _BREAK_WORD.search(before) is not None


def _opens_sentence(text: str, position: int) -> bool:
    """Whether the words at `position` are the first of a sentence (where any word is capitalised)."""
    before = text[max(0, position - _WINDOW) : position].rstrip(" \t*_`'\"")
    return position == 0 or (before[-1:] in (".", "!", "?", "\n") if before else position <= _WINDOW)


def _section_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A skills section cut into its items: at commas, semicolons, bullets and line breaks."""
    items, position = [], start
    for separator in _SECTION_ITEM_BREAK.finditer(text, start, end):
        if separator.start() > position:
            items.append((position, separator.start()))
        position = max(position, separator.end())
    if end > position:
        items.append((position, end))
    return items


def _item_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A skills item cut into the names a list joins ("Kubernetes and Terraform", "Go/Rust"); one part when the
    item joins nothing."""
    parts = []
    position = start
    for joiner in _JOINER_IN_ITEM.finditer(text, start, end):
        parts.append((position, joiner.start()))
        position = joiner.end()
    parts.append((position, end))
    return [(part_start, part_end) for part_start, part_end in parts if part_end > part_start]


def _outside(text: str, placed: Iterable[tuple[int, int]]) -> str:
    """The text with the placed spans blanked out."""
    chars = list(text)
    for start, end in placed:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
