"""Finds the technologies a free-text description mentions, by name, alias or related concept."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bestdev.skills.vocabulary import Technology

_BEFORE = r"(?<![\w#+])"
_AFTER = r"(?![\w#+]|\.\w)"
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n\s*)$")


def skill_key(skill: str) -> str:
    """The comparison key of a technology or skill name."""
    return " ".join(skill.casefold().split())


@dataclass(frozen=True)
class Mention:
    """A technology the text mentions: its key, the words used, and whether only a related concept led here."""

    key: str
    text: str
    related: bool = False


class SkillMatcher:
    """Built once from the vocabulary and the pool's skills; `find` is then a single regex scan."""

    def __init__(self, vocabulary: Iterable[Technology], pool_skills: Iterable[str] = ()) -> None:
        self._key_of: dict[str, str] = {}
        self._ambiguous_terms: dict[str, str] = {}
        self._related: dict[str, set[str]] = {}
        for technology in vocabulary:
            key = skill_key(technology.name)
            for term in technology.terms:
                if technology.ambiguous:
                    self._ambiguous_terms[term] = key
                else:
                    self._key_of.setdefault(skill_key(term), key)
            for concept in technology.related:
                self._related.setdefault(skill_key(concept), set()).add(key)
        for skill in pool_skills:
            if skill_key(skill) not in self._key_of and skill not in self._ambiguous_terms:
                self._key_of[skill_key(skill)] = skill_key(skill)
        self._plain = _alternation(self._key_of, re.IGNORECASE)
        self._ambiguous = _alternation(self._ambiguous_terms, 0)
        self._concepts = _alternation(self._related, re.IGNORECASE)

    def canonical(self, skill: str) -> str:
        """The key a pool skill is known by: its technology's when the vocabulary has it."""
        return self._key_of.get(skill_key(skill)) or self._ambiguous_key(skill) or skill_key(skill)

    def _ambiguous_key(self, skill: str) -> str | None:
        for term, key in self._ambiguous_terms.items():
            if term.casefold() == skill.casefold():
                return key
        return None

    def find(self, text: str) -> list[Mention]:
        """Mentions in order of first appearance, one per technology; exact mentions before related ones."""
        found: dict[str, Mention] = {}
        for match in self._plain.finditer(text) if self._plain else ():
            key = self._key_of[skill_key(match.group())]
            found.setdefault(key, Mention(key, match.group()))
        for match in self._ambiguous.finditer(text) if self._ambiguous else ():
            key = self._ambiguous_terms[match.group()]
            if key not in found and self._technical_context(text, match, bool(found)):
                found[key] = Mention(key, match.group())
        related: dict[str, Mention] = {}
        for match in self._concepts.finditer(text) if self._concepts else ():
            for key in sorted(self._related[skill_key(match.group())]):
                if key not in found:
                    related.setdefault(key, Mention(key, match.group(), related=True))
        return [*found.values(), *related.values()]

    @staticmethod
    def _technical_context(text: str, match: re.Match[str], other_technologies: bool) -> bool:
        """An ambiguous name counts only mid-sentence, written as the name, beside other technologies."""
        return other_technologies and not _SENTENCE_START.search(text[: match.start()])


def _alternation(terms: Iterable[str], flags: int) -> re.Pattern[str] | None:
    ordered = sorted(set(terms), key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(term) for term in ordered)
    return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", flags)
