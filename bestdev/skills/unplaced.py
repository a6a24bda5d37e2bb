"""What a text names that the reading could not place, so that an answer can say so instead of dropping it.

Two kinds of evidence that words name a technology, though the vocabulary does not know them:

- they are an item of a skills section ("Recommended skills: Go, UX design"), or
- they are a name (capitalised, or in capitals) listed with technologies the reading did place: "Gleam and Elixir",
  "Kotlin, Gradle, Detekt", "React on Fly".

A name that is a near miss of a vocabulary name ("Kubernets") comes with its suggestion, wherever it stands (written
capitalised, or anywhere in a skills section); an inflection ("Pythons") is no near miss.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bestdev.skills.language import AND_WORDS, OR_WORDS, alternation

# Where one item of a list ends and the next begins (JOINERS), and where a sentence ends (BREAKS).
_SEPARATOR = re.compile(
    rf"(?P<join>\s*(?:[,;/|&+•]|\b(?:{alternation([*AND_WORDS, *OR_WORDS])})\b)\s*)"
    r"|(?P<break>\s*(?:[.!?:()](?=\s|$)|[()\n]|\s-\s|\b(?:with|on|in|using|for|of)\b)\s*)",
    re.IGNORECASE,
)
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


@dataclass(frozen=True)
class Unplaced:
    """Words the reading could not place, as written; `suggestion` a vocabulary name they nearly spell."""

    text: str
    suggestion: str | None = None


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    joined_before: bool  # joined to the item before by a list joiner, not a sentence break
    opens_sentence: bool = False  # the first words of a sentence (capitalised whatever they are)


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

    def find(self, text: str, placed: Sequence[tuple[int, int]], sections: Sequence[tuple[int, int]]) -> list[Unplaced]:
        """What `text` names outside the `placed` spans that the vocabulary does not know, in order, once each."""
        found: dict[str, Unplaced] = {}
        overlaps = _Overlaps(placed)
        for start, end in sections:  # every item of a skills section the reading placed nothing in
            for item_start, item_end in _section_items(text, start, end):
                words = text[item_start:item_end].strip(_MARKUP)
                if words and not overlaps(item_start, item_end) and len(words.split()) <= _MAX_ITEM_WORDS:
                    found.setdefault(words.lower(), Unplaced(words, self.suggestion(words)))
        items = _items(text)
        is_placed = [overlaps(item.start, item.end) for item in items]
        for number, item in enumerate(items):  # names listed with technologies the reading placed
            words = text[item.start : item.end].strip(_MARKUP)
            if is_placed[number] or not words or words.lower() in self.names or words.lower() in found:
                continue
            name = _NAME.match(words) is not None or (not item.opens_sentence and _CAPITALISED.match(words) is not None)
            if name and _beside_placed(items, is_placed, number):
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


class _Overlaps:
    """Whether a span overlaps one of the placed spans (which do not overlap each other): a binary search."""

    def __init__(self, placed: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(placed)
        self.starts = [start for start, _ in ordered]
        self.ends = [end for _, end in ordered]

    def __call__(self, start: int, end: int) -> bool:
        first = bisect.bisect_right(self.ends, start)  # the first placed span ending after `start`
        return first < len(self.starts) and self.starts[first] < end


def _items(text: str) -> list[_Item]:
    """The text cut into list items at list joiners and sentence breaks."""
    items = []
    position, joined = 0, False
    for separator in [*_SEPARATOR.finditer(text), None]:
        end = len(text) if separator is None else separator.start()
        if end > position:
            before = text[max(0, position - 20) : position].rstrip(" \t")
            opens = position == 0 or (before[-1:] in (".", "!", "?", "\n") if before else position <= 20)
            items.append(_Item(position, end, joined, opens))
        if separator is not None:
            joined = separator.group("join") is not None
            position = separator.end()
    return items


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


def _beside_placed(items: Sequence[_Item], is_placed: Sequence[bool], number: int) -> bool:
    before = number > 0 and items[number].joined_before and is_placed[number - 1]
    after = number + 1 < len(items) and items[number + 1].joined_before and is_placed[number + 1]
    return before or after


def _outside(text: str, placed: Iterable[tuple[int, int]]) -> str:
    """The text with the placed spans blanked out."""
    chars = list(text)
    for start, end in placed:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
