"""Skill names as the vocabulary writes them: aliases, case and spacing mapped to the canonical name; an unknown
name kept as written, with the vocabulary's nearest names as suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from bestdev.skills.vocabulary import Technology, load_vocabulary

_LOOSE = re.compile(r"[\s_\-]+")
SUGGESTIONS = 3


def loose_key(name: str) -> str:
    """'node JS', 'Node-JS' and 'nodejs' alike: case, spaces, hyphens and underscores do not count."""
    return _LOOSE.sub("", name.casefold())


class SkillNames:
    """The vocabulary's names, found by any of their spellings."""

    def __init__(self, technologies: Iterable[Technology] | None = None) -> None:
        technologies = tuple(load_vocabulary() if technologies is None else technologies)
        found: dict[str, set[str]] = {}
        for technology in technologies:
            for term in technology.terms:
                found.setdefault(loose_key(term), set()).add(technology.name)
        # a spelling two technologies share stays unmapped: which one was meant is not ours to guess
        self._canonical = {key: next(iter(names)) for key, names in found.items() if len(names) == 1}
        self._names = sorted({technology.name for technology in technologies})
        self._by_key = {loose_key(name): name for name in self._names}

    def canonical(self, skill: str) -> str | None:
        """The vocabulary's name for this skill; None when the vocabulary does not know it."""
        return self._canonical.get(loose_key(skill))

    def suggestions(self, skill: str) -> list[str]:
        """The vocabulary's names closest to an unknown skill, best first (possibly none)."""
        keys = difflib.get_close_matches(loose_key(skill), list(self._by_key), n=SUGGESTIONS, cutoff=0.75)
        return [self._by_key[key] for key in keys]
