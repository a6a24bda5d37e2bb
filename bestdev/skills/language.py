"""The words of each language the reading knows, as data: one file per language in `skills/languages/` (en, fi, sv,
de), read once at import.

Each file holds the words that join names into lists ("and", "or"), the role words that make a name a headline
("developer", "osaaja"), the words of "6+ years of", the words right before a name that make it a must-have
("senior", "vahva"), the cue phrases by what they weigh (see emphasis), the words of skills headings ("Recommended
skills:"), the context words that decide how an ambiguous name reads ("written in go", "Python-osaaja"; see
matcher), the case endings glued to names ("Reactilla"; see term_pattern), the phrases that only refer to a
technology ("instead of"), and example sentences that the tests run. Adding a language is adding a file; the
phrases of every language are joined into one pattern per kind, in the order of ORDER (then any other file by
name), so an earlier language's phrase wins where two match at one place.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from bestdev.errors import BestDevError

LANGUAGES_DIR = Path(str(files("bestdev") / "skills" / "languages"))
ORDER = ("en", "fi", "sv", "de")
CUE_KINDS = ("nice_after", "nice_before", "nice_either", "must_after", "must_before", "must_either")
_WORD_LISTS = ("and", "or", "roles", "years", "years_of", "close_must", "events")
# [context]: plain words (any case) but for `building` and `software`, which are regex fragments
CONTEXT_KINDS = ("before", "before_as_written", "after", "linking", "building", "software", "endings")
REFERENCE_KINDS = ("after", "before")  # [references]: regex fragments
SECTION_KINDS = ("before", "headings", "after", "nice", "stack")  # [sections]: regex fragments


class LanguageRulesError(BestDevError):
    """A language file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Example:
    """A sentence, the weight of each technology it names (by key), and the choices among them ("Python or Go")."""

    text: str
    weights: dict[str, str]
    choices: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class LanguageRules:
    language: str
    words: dict[str, tuple[str, ...]]  # and, or, roles, years, years_of, close_must, events
    cues: dict[str, tuple[str, ...]]  # CUE_KINDS
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)  # CONTEXT_KINDS
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)  # REFERENCE_KINDS
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)  # SECTION_KINDS
    examples: tuple[Example, ...] = field(default=())


def load_languages(folder: Path | None = None) -> tuple[LanguageRules, ...]:
    """Every language file in `folder` (the bundled ones by default), in ORDER, then the others by name."""
    paths = sorted((folder or LANGUAGES_DIR).glob("*.toml"))
    rank = {code: number for number, code in enumerate(ORDER)}
    paths.sort(key=lambda path: (rank.get(path.stem, len(ORDER)), path.stem))
    return tuple(_load(path) for path in paths)


def _load(path: Path) -> LanguageRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        words = {kind: tuple(_strings(data.get(kind, []), f"{kind}")) for kind in _WORD_LISTS}
        cues_table = data.get("cues", {})
        unknown = sorted(set(cues_table) - set(CUE_KINDS))
        if unknown:
            raise ValueError(f"unknown cue kinds {unknown}; known: {list(CUE_KINDS)}")
        cues = {kind: tuple(_strings(cues_table.get(kind, []), f"cues.{kind}")) for kind in CUE_KINDS}
        context = _table(data, "context", CONTEXT_KINDS)
        references = _table(data, "references", REFERENCE_KINDS)
        headings = _table(data, "sections", SECTION_KINDS)
        patterns = [*words.values(), *cues.values(), *references.values(), *headings.values()]
        patterns += [context["building"], context["software"]]
        for phrases in patterns:
            for phrase in phrases:
                re.compile(phrase)
        examples = tuple(
            Example(
                str(example["text"]),
                {str(key): str(weight) for key, weight in example.get("weights", {}).items()},
                tuple(frozenset(map(str, choice)) for choice in example.get("choices", [])),
            )
            for example in data.get("examples", [])
        )
        if data.get("language") != path.stem:
            raise ValueError(f"language = {data.get('language')!r} does not match the file name")
    except (OSError, ValueError, KeyError, TypeError, re.error, tomllib.TOMLDecodeError) as error:
        raise LanguageRulesError(f"language file {path}: {error}") from None
    return LanguageRules(path.stem, words, cues, context, references, headings, examples)


def _table(data: dict[str, object], name: str, kinds: Sequence[str]) -> dict[str, tuple[str, ...]]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"{name} must be a table")
    unknown = sorted(set(table) - set(kinds))
    if unknown:
        raise ValueError(f"unknown {name} kinds {unknown}; known: {list(kinds)}")
    return {kind: tuple(_strings(table.get(kind, []), f"{name}.{kind}")) for kind in kinds}


def _strings(values: object, name: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(value, str) and value for value in values):
        raise ValueError(f"{name} must be a list of non-empty strings")
    return values


def alternation(fragments: Iterable[str]) -> str:
    """One regex alternation of the fragments, in order (one that never matches when there are none)."""
    joined = "|".join(fragments)
    return joined or r"(?!)"


def words(rules: Sequence[LanguageRules], kind: str) -> list[str]:
    """Every language's words of one kind ("and", "roles", ...), in order, once each."""
    return list(dict.fromkeys(word for language in rules for word in language.words[kind]))


def cues(rules: Sequence[LanguageRules], kind: str) -> list[str]:
    return list(dict.fromkeys(phrase for language in rules for phrase in language.cues[kind]))


def context(rules: Sequence[LanguageRules], kind: str) -> list[str]:
    """Every language's context entries of one kind (CONTEXT_KINDS), in order, once each."""
    return list(dict.fromkeys(entry for language in rules for entry in language.context.get(kind, ())))


def referring(rules: Sequence[LanguageRules], kind: str) -> list[str]:
    return list(dict.fromkeys(entry for language in rules for entry in language.references.get(kind, ())))


def sections(rules: Sequence[LanguageRules], kind: str) -> list[str]:
    return list(dict.fromkeys(entry for language in rules for entry in language.sections.get(kind, ())))


RULES = load_languages()
AND_WORDS = words(RULES, "and")
OR_WORDS = words(RULES, "or")
# The one gap between two names that makes them a list: separators (not ";", which ends a clause), and at most one
# joining word of any language.
LIST_GAP = re.compile(
    rf"[\s,/&+|()\-]*(?:\b(?:{alternation([*AND_WORDS, *OR_WORDS])})\b[\s(]*)?[\s,/&+|()\-]*", re.IGNORECASE
)
