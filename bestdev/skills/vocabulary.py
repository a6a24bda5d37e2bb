"""The curated technology vocabulary shipped with the package (technologies.toml)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from bestdev.errors import BestDevError

VOCABULARY_FILE = Path(str(files("bestdev") / "skills" / "technologies.toml"))


class VocabularyError(BestDevError, ValueError):
    """The vocabulary file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Technology:
    """One technology: how people write it, which of those spellings are ordinary words, and what it relates to."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous_terms: tuple[str, ...] = ()
    family_only: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every way of writing the technology itself: the name, then the aliases."""
        return (self.name, *self.aliases)

    @property
    def ambiguous(self) -> bool:
        return bool(self.ambiguous_terms)


@dataclass(frozen=True)
class Vocabulary:
    """The technologies (the words around a name that decide how it reads are each language's, see language)."""

    technologies: tuple[Technology, ...]

    def __iter__(self) -> Iterator[Technology]:
        return iter(self.technologies)

    def __len__(self) -> int:
        return len(self.technologies)


def skill_key(skill: str) -> str:
    """The comparison key of a technology or skill name."""
    return " ".join(skill.casefold().split())


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    import tomllib  # only here: startup reads the generated index instead (see vocabulary_index)

    path = path or VOCABULARY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise VocabularyError(f"vocabulary {path}: {error}") from None
    technologies = tuple(_technology(path, index, entry) for index, entry in enumerate(data.get("technology", [])))
    _check_references(path, technologies)
    return Vocabulary(technologies=technologies)


def _technology(path: Path, index: int, entry: dict[str, Any]) -> Technology:
    try:
        name, category = entry["name"], entry["category"]
    except KeyError as missing:
        raise VocabularyError(f"vocabulary {path}: technology[{index}] lacks {missing}") from None
    aliases = tuple(entry.get("aliases", ()))
    ambiguous = entry.get("ambiguous", ())
    if ambiguous is True:
        ambiguous = (name, *aliases)
    elif ambiguous is False:
        ambiguous = ()
    unknown = [term for term in ambiguous if term not in (name, *aliases)]
    if unknown:
        raise VocabularyError(
            f"vocabulary {path}: technology[{index}] ({name}): ambiguous {unknown} not a name or alias"
        )
    family_only = tuple(entry.get("family_only", ()))
    unknown = [term for term in family_only if term not in aliases]
    if unknown or (family_only and not entry.get("implies")):
        raise VocabularyError(
            f"vocabulary {path}: technology[{index}] ({name}): family_only {list(family_only)} must be aliases of a "
            "technology that implies its family"
        )
    return Technology(
        name=name,
        category=category,
        aliases=aliases,
        ambiguous_terms=tuple(ambiguous),
        family_only=family_only,
        related=tuple(entry.get("related", ())),
        implies=tuple(entry.get("implies", ())),
        includes=tuple(entry.get("includes", ())),
    )


def _check_references(path: Path, technologies: tuple[Technology, ...]) -> None:
    names = {technology.name for technology in technologies}
    for technology in technologies:
        missing = [name for name in (*technology.implies, *technology.includes) if name not in names]
        if missing:
            raise VocabularyError(f"vocabulary {path}: {technology.name} refers to unknown {missing}")
