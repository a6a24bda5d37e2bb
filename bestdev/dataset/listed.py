"""What the pool lists for a developer (skills, then project history), as the matcher keys it."""

from __future__ import annotations

from bestdev.pool import Developer
from bestdev.skills.matcher import SkillMatcher


def known_labels(developer: Developer) -> list[str]:
    """The pool's own labels: skills, then technologies from their project history."""
    return [*developer.skills, *developer.experience]


def listed_skills(matcher: SkillMatcher, developer: Developer) -> dict[str, str]:
    """The developer's labels keyed by the technology they stand for ('azure kubernetes service' -> 'kubernetes')."""
    listed: dict[str, str] = {}
    for label in known_labels(developer):
        listed.setdefault(matcher.canonical(label), label)
    return listed
