"""Finds the technologies a free-text description mentions, by name, alias or related concept.

Everything here is driven by the vocabulary file: names and aliases match on word boundaries (with an optional
version number: "Vue 3", ".NET 8"); names flagged ambiguous ("Go", "Spark", "Unity") must also be written as the
vocabulary writes them and stand in a technical context (a context word next to them, or a list of other
technologies, or beside a concept); concepts ("machine learning", "iPhone") lead to the technologies that
implement them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bestdev.skills.term_pattern import TermPattern
from bestdev.skills.vocabulary import Technology, Vocabulary, skill_key
from bestdev.skills.vocabulary_index import SHORT, VocabularyIndex, compile_terms

_LIST_GAP = re.compile(r"[\s,/&+|;()]*(?:\b(?:and|or|plus)\b[\s(]*)?[\s,/&+|;()]*", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"([\w#+.]+)\s+$")
_NEXT_WORD = re.compile(r"[\s\-]+([\w#+]+)")
_YEAR = re.compile(r"\s(?:19|20)\d\d$")
_OPENERS = " \t\"'“‘([{*-•"
_SENTENCE_END = ".!?:;\n"


@dataclass(frozen=True)
class Mention:
    """A technology the text mentions: its key, the words used, and whether only a related concept led here."""

    key: str
    text: str
    related: bool = False


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    concept: bool = False
    ambiguous: bool = False


def _scan(
    pattern: TermPattern, text: str, *, concept: bool = False, ambiguous: frozenset[str] = frozenset()
) -> list[_Candidate]:
    return [
        _Candidate(match.start(), match.end(), match.group(), keys, concept, match.group("term") in ambiguous)
        for match, keys in pattern.scan(text)
    ]


class SkillMatcher:
    """Built once from the vocabulary and the pool's skills; `find` then scans the text a fixed number of times."""

    def __init__(
        self, vocabulary: VocabularyIndex | Vocabulary | Iterable[Technology], pool_skills: Iterable[str] = ()
    ) -> None:
        index = vocabulary if isinstance(vocabulary, VocabularyIndex) else VocabularyIndex.build(vocabulary)
        self._before = index.words_before
        self._after = index.words_after
        self._key_of = dict(index.key_of)
        folded: dict[str, tuple[str, ...]] = {}
        exact: dict[str, tuple[str, ...]] = {}
        for skill in pool_skills:  # the pool's own skills the vocabulary does not know: a small extra scan
            if skill.lower() not in self._key_of and skill.strip():
                self._key_of[skill.lower()] = skill_key(skill)
                (exact if len(skill) <= SHORT else folded).setdefault(skill.lower(), (skill_key(skill),))
        self._includes = index.includes
        self._implies = index.implies
        self._ambiguous = index.ambiguous
        terms = index.terms
        self._folded = TermPattern(terms["folded"], compile_terms("folded", folded), fold=True)
        self._exact = TermPattern(terms["exact"], compile_terms("exact", exact), fold=False)
        self._short_concepts = TermPattern(terms["short concepts"], fold=False)
        self._long_concepts = TermPattern(terms["long concepts"], fold=True)

    def canonical(self, skill: str) -> str:
        """The key a pool skill is known by: its technology's when the vocabulary has it."""
        return self._key_of.get(skill.lower(), skill_key(skill))

    def implied(self, key: str) -> tuple[str, ...]:
        """The broader technologies someone who knows `key` also knows (transitively), per the vocabulary."""
        return self._implies.get(key, ())

    def find(self, text: str) -> list[Mention]:
        """Technologies in order of first appearance (one mention each), then the related ones.

        A related mention is a technology reached through a concept the text names, or a broader technology
        implied by one it names; there is one per technology and concept, and never for a technology the text
        names itself.
        """
        candidates = [
            *_scan(self._folded, text),
            *_scan(self._exact, text, ambiguous=self._ambiguous),
            *_scan(self._short_concepts, text, concept=True),
            *_scan(self._long_concepts, text, concept=True),
        ]
        kept = self._in_context(text, _longest_first(candidates))
        found: dict[str, Mention] = {}
        for candidate in kept:
            if not candidate.concept:
                for key in (*candidate.keys, *self._includes.get(candidate.keys[0], ())):
                    found.setdefault(key, Mention(key, candidate.text))
        related: dict[tuple[str, str], Mention] = {}
        for candidate in kept:
            if candidate.concept:
                reached = candidate.keys
            else:
                reached = tuple(implied for key in candidate.keys for implied in self.implied(key))
            for key in reached:
                if key not in found:
                    related.setdefault((key, candidate.text.lower()), Mention(key, candidate.text, related=True))
        return [*found.values(), *related.values()]

    def _in_context(self, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """Drop ambiguous names that do not read as technologies; decided until nothing changes."""
        accepted = [candidate for candidate in candidates if not candidate.ambiguous]
        pending = [candidate for candidate in candidates if candidate.ambiguous]
        changed = True
        while pending and changed:
            changed = False
            for candidate in list(pending):
                if self._reads_as_technology(text, candidate, accepted):
                    accepted.append(candidate)
                    pending.remove(candidate)
                    changed = True
        return sorted(accepted, key=lambda candidate: candidate.start)

    def _reads_as_technology(self, text: str, candidate: _Candidate, accepted: list[_Candidate]) -> bool:
        before = text[: candidate.start]
        previous = _PREVIOUS_WORD.search(before)
        following = _NEXT_WORD.match(text, candidate.end)
        word_before = previous is not None and previous.group(1).lower() in self._before
        word_after = following is not None and following.group(1).lower() in self._after
        opens_sentence = not before.rstrip(_OPENERS) or before.rstrip(_OPENERS)[-1] in _SENTENCE_END
        in_list = any(_LIST_GAP.fullmatch(_gap(text, candidate, other)) is not None for other in accepted)
        if _YEAR.search(candidate.text) or (opens_sentence and not (word_after or in_list)):
            return False
        return word_before or word_after or in_list


def _gap(text: str, one: _Candidate, other: _Candidate) -> str:
    if other.end <= one.start:
        return text[other.end : one.start]
    if one.end <= other.start:
        return text[one.end : other.start]
    return "\0"


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Overlapping matches resolve to technologies over concepts, then the longest ("React Native" over "React")."""
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.concept, c.start - c.end, c.start)):
        if all(candidate.end <= other.start or other.end <= candidate.start for other in kept):
            kept.append(candidate)
    return kept
