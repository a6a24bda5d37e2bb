"""A model's pick checked against the pool and the description: what it may claim, and what is shown for it.

The model understands text the strict reading cannot (Finnish case endings, lower case, joined stacks), so its
pick is accepted when its reason holds up:

- every skill the reason claims is one the pool lists for that developer (else it made up experience);
- every skill it claims is named in the description in some form (any case, inflection, short form), unless the
  text uses the word as an ordinary word (else it cites something the project never asked for);
- without any claim, something the developer holds must be named in the description itself (a broader
  technology it implies, SQL for "postgres", is not enough);
- when the description has must-haves that someone in the pool holds, the pick holds one of them.

What is shown is rebuilt from the pool: `matched_skills` are the pool's own names for the skills claimed (or, with
no claim, for those it holds that the description names); the model's words are never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bestdev import template
from bestdev.pool import Developer
from bestdev.recommend.skill_index import Knowledge, knowledge
from bestdev.skills.matcher import Mention, SkillMatcher


class Refused(Exception):
    """The pick does not hold up; the message says why, naming the developer and the skills."""


@dataclass(frozen=True)
class Grounded:
    """The pick as the pool backs it: the pool's names for the skills that justify it."""

    skills: tuple[str, ...]
    keys: tuple[str, ...]


def named_keys(mentions: Iterable[Mention], matcher: SkillMatcher) -> list[str]:
    """Technologies a text names (not through a concept), then the broader ones they imply; in order, once each."""
    named = [mention.key for mention in mentions if mention.via != "concept"]
    return list(dict.fromkeys([*named, *(broader for key in named for broader in matcher.implied(key))]))


def ground(
    developer: Developer,
    reason: str,
    mentions: Sequence[Mention],
    matcher: SkillMatcher,
    required: Iterable[str] = (),
    held: dict[str, Knowledge] | None = None,
) -> Grounded:
    """The pool's case for the model's pick, or Refused. `mentions` are the description's, read leniently (the
    request's one reading has them); `required` are the must-haves someone in the pool holds; `held` what the
    developer knows, when known already."""
    held = knowledge(developer, matcher) if held is None else held
    claimed = claims(reason, matcher)
    unheld = [key for key in claimed if key not in held]
    if unheld:
        raise Refused(
            f"the model claimed {_names(unheld, matcher)} for {developer.name}, which the pool does not list for them"
        )
    named = [mention.key for mention in mentions if mention.via != "concept"]
    unnamed = [key for key in claimed if key not in named and not _implied_by(key, named, matcher)]
    if unnamed:
        raise Refused(f"the model cited {_names(unnamed, matcher)}, which the description does not mention")
    keys = claimed or [key for key in named if key in held]
    if not keys:
        raise Refused(f"the model picked {developer.name}, whom the pool lists with none of these skills")
    musts = list(required)
    if musts and not any(key in held for key in musts):
        raise Refused(
            f"the model picked {developer.name}, who lacks what the project requires ({_names(musts, matcher)})"
        )
    return Grounded(tuple(dict.fromkeys(held[key].label for key in keys)), tuple(keys))


def _implied_by(key: str, named: Iterable[str], matcher: SkillMatcher) -> bool:
    """Whether a technology the text names implies `key` (a broader technology: SQL for PostgreSQL)."""
    return any(key in matcher.implied(other) for other in named)


def claims(reason: str, matcher: SkillMatcher) -> list[str]:
    """The technologies a reason claims, once each. A reason exactly in the trained voice ("They have experience
    with A, B and C, which are relevant to the project.") whose every skill is a name the matcher knows is read from
    its list; any other reason is read leniently, as text."""
    listed = template.reason_skills(reason)
    if listed:
        voiced, stripped = template.reason(listed), reason.strip()
        if voiced == stripped or voiced.casefold() == stripped.casefold():
            keys: list[str] = []
            for skill in listed:
                found = matcher.named(skill)
                if found is None:
                    break
                keys += found
            else:
                return list(dict.fromkeys(keys))
    return list(dict.fromkeys(m.key for m in matcher.find(reason, lenient=True) if m.via != "concept"))


def _names(keys: Iterable[str], matcher: SkillMatcher) -> str:
    return template.join_skills([matcher.name(key) for key in keys])
