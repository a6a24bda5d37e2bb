"""Scanning text for a set of terms: trie-shaped regexes, so a scan costs the same for 10 or 1,000 terms.

A term matches on word boundaries (BEFORE/AFTER), followed by an optional suffix: a version number ("Vue 3",
".NET 8"), a plural ending ("dashboards") or an inflection ending. A hyphen counts as a boundary on both sides, so
joined stacks ("Vue-Express-Mongo") and compounds ("Python-osaaja", "Kubernetes-Cluster") read as their parts. At
each position the longest term wins, and scanning goes on after the match, as `re.finditer` does.

Inflection: Finnish, Swedish, German and English attach case endings, articles and plurals to names. After a
colon they attach to any name ("C#:lla", "Node.js:llä", "AWS:n"); glued to the name ("Reactilla", "Dockerin",
"Azuressa", "TypeScriptiä", "Lambdas") they are a closed set of endings (each language file's `endings`), which the
matcher accepts only on names long enough not to form another word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from bestdev.skills.language import RULES, context

BEFORE = r"(?<![\w#+&.@])"
AFTER = r"(?![\w#+&@]|\.(?-i:[a-z0-9]))"  # "Node.js" is one name; "iOS.Rich" (a lost space) is two words
VERSION = r"(?:[ ]?v?\d+(?:\.\d+)*(?![\w.]\w))?"
PLURAL = r"(?:e?s)?"
COLON_ENDING = r":[a-zåäö]{1,5}"
# Case endings, articles and plurals glued to names, from every language file's [context] endings (Finnish with the
# linking vowel i/e, Swedish articles and genitives, German and English -s/-es).
GLUED_ENDINGS = tuple(context(RULES, "endings"))
GLUED_ENDING = rf"[ie]?(?:{'|'.join(sorted(GLUED_ENDINGS, key=lambda ending: (-len(ending), ending)))})"
INFLECTED = rf"{VERSION}(?P<ending>{COLON_ENDING}|{GLUED_ENDING})?"  # names that fold case
COLON_INFLECTED = rf"{VERSION}(?P<ending>{COLON_ENDING})?"  # names matched as written, and ordinary words
GLUED_MIN = 4  # a glued ending counts only on names at least this long: "Go" + "a" is Goa, not Go


@dataclass(frozen=True)
class TermSet:
    """Terms (as the scan compares them: lower-cased when it folds case, hyphens as spaces) -> the technology keys
    they lead to, and the compiled scan for exactly those terms (None when there are none)."""

    keys: Mapping[str, tuple[str, ...]]
    pattern: re.Pattern[str] | None

    @classmethod
    def compile(cls, terms: Mapping[str, tuple[str, ...]], *, fold: bool, suffix: str) -> TermSet:
        keys = {spelling(term.lower() if fold else term): keys for term, keys in terms.items()}
        source = term_regex(keys, suffix)
        return cls(keys, None if source is None else re.compile(source, regex_flags(fold)))


def term_regex(terms: Iterable[str], suffix: str) -> str | None:
    """The regex source that finds `terms` on word boundaries, followed by an optional `suffix`."""
    body = _trie_regex(terms)
    return f"{BEFORE}(?P<term>{body}){suffix}{AFTER}" if body else None


def regex_flags(fold: bool) -> int:
    return int(re.IGNORECASE) if fold else 0


class TermPattern:
    """One scan over term sets with no term in common, which finds what a single regex of all their terms would.

    The vocabulary's terms are one set (compiled ahead of time), a pool's own skills another (a small regex, cheap
    to compile): at each position the longest term of any set wins, and the scan goes on after it.
    """

    def __init__(self, *sets: TermSet, fold: bool) -> None:
        self._fold = fold
        self._keys = {term: keys for term_set in sets for term, keys in term_set.keys.items()}
        self._patterns = [term_set.pattern for term_set in sets if term_set.pattern is not None]

    def scan(self, text: str) -> Iterator[tuple[re.Match[str], tuple[str, ...]]]:
        """Each match, and the technology keys its term leads to."""
        for match in self._matches(text):
            term = match.group("term")
            yield match, self._keys[spelling(term.lower() if self._fold else term)]

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        if len(self._patterns) <= 1:
            return (match for pattern in self._patterns for match in pattern.finditer(text))
        return self._merged(text)

    def _merged(self, text: str) -> Iterator[re.Match[str]]:
        """Each set's next match; the earliest wins (the longer term on a tie), and every set resumes after it.

        A match at a position does not depend on where the search began (the boundaries look at the text itself),
        so a set's next match stays valid until the scan passes its start. Once only one set has matches left
        (usually at once: a pool's own skills are rarely in the text), the rest is that set's own scan.
        """
        upcoming = [(pattern, pattern.search(text)) for pattern in self._patterns]
        while True:
            live = [(pattern, match) for pattern, match in upcoming if match is not None]
            if len(live) <= 1:
                for pattern, match in live:
                    yield match
                    yield from pattern.finditer(text, match.end())
                return
            best = min((match for _, match in live), key=lambda match: (match.start(), -len(match.group("term"))))
            yield best
            position = best.end()
            upcoming = [
                (pattern, match if match.start() >= position else pattern.search(text, position))
                for pattern, match in live
            ]


_ALIKE = str.maketrans(dict.fromkeys("-\t\n\r\f\v\xa0", " "))


def spelling(term: str) -> str:
    """A term with its spaces and hyphens alike, as the scan matches them."""
    return term.translate(_ALIKE)


def _char_regex(char: str) -> str:
    """A space or hyphen inside a term matches either: "Spring Boot", "spring-boot", "scikit learn"."""
    return r"[\s\-]" if char in " -" else re.escape(char)


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
    branches = [_char_regex(char) + _node_regex(child) for char, child in sorted(node.items(), reverse=True) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body
