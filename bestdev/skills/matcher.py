"""Finds the technologies a free-text description mentions, by name, alias or related concept.

Everything here is driven by the vocabulary file: names and aliases match on word boundaries (with an optional
version number: "Vue 3", ".NET 8"); names flagged ambiguous ("Go", "Spark", "Unity") must also be written as the
vocabulary writes them and stand in a technical context (a context word next to them, or a list of other
technologies, or beside a concept); concepts ("machine learning", "iPhone") lead to the technologies that
implement them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bestdev.skills.vocabulary import Technology, Vocabulary

_BEFORE = r"(?<![\w#+&.@\-])"
_AFTER = r"(?![\w#+&@]|\.\w)"
_VERSION = r"(?:\s?v?\d+(?:\.\d+)*(?![\w.]\w))?"
_PLURAL = r"(?:e?s)?"
_SHORT = 2  # names this short are matched as written ("JS", "R"), never inside ordinary text
_SHORT_CONCEPT = 4  # concept acronyms this short are matched as written ("IoT", "VR", "GPT")
_LIST_GAP = re.compile(r"[\s,/&+|;()]*(?:\b(?:and|or|plus)\b[\s(]*)?[\s,/&+|;()]*", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"([\w#+.]+)\s+$")
_NEXT_WORD = re.compile(r"[\s\-]+([\w#+]+)")
_YEAR = re.compile(r"\s(?:19|20)\d\d$")
_OPENERS = " \t\"'“‘([{*-•"
_SENTENCE_END = ".!?:;\n"


def skill_key(skill: str) -> str:
    """The comparison key of a technology or skill name."""
    return " ".join(skill.casefold().split())


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


class _TermPattern:
    """One compiled scan for a set of terms: a trie-shaped regex, so a scan costs the same for 10 or 1,000 terms."""

    def __init__(self, terms: Mapping[str, tuple[str, ...]], *, fold: bool, suffix: str) -> None:
        self._fold = fold
        self._keys = {(term.lower() if fold else term): keys for term, keys in terms.items()}
        body = _trie_regex(self._keys)
        flags = re.IGNORECASE if fold else 0
        self._pattern = re.compile(f"{_BEFORE}(?P<term>{body}){suffix}{_AFTER}", flags) if body else None

    def scan(self, text: str, *, concept: bool = False, ambiguous: frozenset[str] = frozenset()) -> list[_Candidate]:
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            term = match.group("term")
            keys = self._keys[term.lower() if self._fold else term]
            found.append(_Candidate(match.start(), match.end(), match.group(), keys, concept, term in ambiguous))
        return found


class SkillMatcher:
    """Built once from the vocabulary and the pool's skills; `find` then scans the text a fixed number of times."""

    def __init__(self, vocabulary: Vocabulary | Iterable[Technology], pool_skills: Iterable[str] = ()) -> None:
        technologies = tuple(vocabulary)
        self._before = vocabulary.words_before if isinstance(vocabulary, Vocabulary) else frozenset()
        self._after = vocabulary.words_after if isinstance(vocabulary, Vocabulary) else frozenset()
        self._key_of: dict[str, str] = {}
        folded: dict[str, tuple[str, ...]] = {}
        exact: dict[str, tuple[str, ...]] = {}
        ambiguous: set[str] = set()
        concepts: dict[str, set[str]] = {}
        self._includes: dict[str, tuple[str, ...]] = {}
        direct_implies: dict[str, tuple[str, ...]] = {}
        for technology in technologies:
            key = skill_key(technology.name)
            self._includes[key] = tuple(skill_key(name) for name in technology.includes)
            direct_implies[key] = tuple(skill_key(name) for name in technology.implies)
            for term in technology.terms:
                self._key_of.setdefault(term.lower(), key)
                if term in technology.ambiguous_terms or len(term) <= _SHORT:
                    exact.setdefault(term, (key,))
                    if term in technology.ambiguous_terms:
                        ambiguous.add(term)
                else:
                    folded.setdefault(term.lower(), (key,))
            for concept in technology.related:
                concepts.setdefault(concept, set()).add(key)
        for skill in pool_skills:
            if skill.lower() not in self._key_of and skill.strip():
                self._key_of[skill.lower()] = skill_key(skill)
                (exact if len(skill) <= _SHORT else folded).setdefault(skill.lower(), (skill_key(skill),))
        self._implies = {key: _closure(key, direct_implies) for key in direct_implies}
        self._ambiguous = frozenset(ambiguous)
        self._folded = _TermPattern(folded, fold=True, suffix=_VERSION)
        self._exact = _TermPattern(exact, fold=False, suffix=_VERSION)
        concepts = _inherit_contained(concepts)
        short = {term: tuple(sorted(keys)) for term, keys in concepts.items() if len(term) <= _SHORT_CONCEPT}
        long = {term: tuple(sorted(keys)) for term, keys in concepts.items() if len(term) > _SHORT_CONCEPT}
        self._short_concepts = _TermPattern(short, fold=False, suffix=_PLURAL)
        self._long_concepts = _TermPattern(long, fold=True, suffix=_PLURAL)

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
            *self._folded.scan(text),
            *self._exact.scan(text, ambiguous=self._ambiguous),
            *self._short_concepts.scan(text, concept=True),
            *self._long_concepts.scan(text, concept=True),
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


def _inherit_contained(concepts: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """A concept also leads where the concepts inside it lead: "interactive dashboard" reaches every "dashboard"."""
    padded = {concept: f" {concept.lower()} " for concept in concepts}
    return {
        concept: keys.union(
            *(
                concepts[inner]
                for inner, words in padded.items()
                if inner != concept and (words in padded[concept] or f"{words[:-1]}s " in padded[concept])
            )
        )
        for concept, keys in concepts.items()
    }


def _closure(key: str, direct: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    stack = list(direct.get(key, ()))
    while stack:
        implied = stack.pop(0)
        if implied != key and implied not in seen:
            seen[implied] = None
            stack.extend(direct.get(implied, ()))
    return tuple(seen)


class _Trie(dict[str, "_Trie"]):
    """A character trie; the empty key marks the end of a term."""


def _trie_regex(terms: Iterable[str]) -> str:
    """A regex alternation of `terms` shaped as a trie (shared prefixes factored out, longest tried first)."""
    root = _Trie()
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, _Trie())
        node[""] = _Trie()
    return _node_regex(root)


def _node_regex(node: _Trie) -> str:
    branches = [re.escape(char) + _node_regex(child) for char, child in sorted(node.items(), reverse=True) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body
