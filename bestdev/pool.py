"""The developer pool: the only source of truth about who exists and what they know."""

from __future__ import annotations

import json
import unicodedata
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from bestdev.errors import BestDevError, describe_validation

SAMPLE_POOL = Path(str(files("bestdev") / "data" / "sample_pool.json"))


class PoolError(BestDevError, ValueError):
    """The pool file cannot be used; the message names the file and the offending entry."""


def _non_blank(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    return value


class Project(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    customer: str | None = None
    technologies: list[str] = Field(default_factory=list)

    _clean_name = field_validator("name")(_non_blank)


class Developer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    skills: list[str]
    title: str | None = None
    projects: list[Project] = Field(default_factory=list)

    _clean_name = field_validator("name")(_non_blank)

    @field_validator("skills")
    @classmethod
    def _clean_skills(cls, skills: list[str]) -> list[str]:
        return list(dict.fromkeys(_non_blank(skill) for skill in skills))

    @property
    def experience(self) -> list[str]:
        """Technologies from the project history that are not already listed as skills."""
        known = {skill.casefold() for skill in self.skills}
        seen = [tech for project in self.projects for tech in project.technologies]
        return [tech for tech in dict.fromkeys(seen) if tech.casefold() not in known]


class Pool(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    company: str
    developers: list[Developer]

    _clean_company = field_validator("company")(_non_blank)
    _position: dict[str, int] = PrivateAttr(default_factory=dict)  # name_key -> index, filled by _unique_names
    _exact: dict[str, int] = PrivateAttr(default_factory=dict)  # the name as written -> index (the fast path)

    @model_validator(mode="after")
    def _unique_names(self) -> Pool:
        seen = self._position
        for index, developer in enumerate(self.developers):
            key = name_key(developer.name)
            if key in seen:
                raise ValueError(
                    f"developers[{index}] ({developer.name!r}) has the same name as developers[{seen[key]}]"
                )
            seen[key] = index
            self._exact[developer.name] = index
        return self

    def position(self, name: str) -> int | None:
        """Where the developer with this name stands in `developers` (tolerant like `find`); None if absent."""
        exact = self._exact.get(name)
        return exact if exact is not None else self._position.get(name_key(name))

    def find(self, name: str) -> Developer | None:
        """The developer with this name, tolerant of case, whitespace and diacritics; None if absent."""
        index = self.position(name)
        return None if index is None else self.developers[index]


def name_key(name: str) -> str:
    """Compare names without case, extra whitespace or diacritics: 'olli  MAKINEN' == 'Olli Mäkinen'."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.casefold().split())


def load_pool(path: Path | None = None) -> Pool:
    """Load and validate a pool file (the bundled sample when no path is given)."""
    path = path or SAMPLE_POOL
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PoolError(f"pool file {path}: cannot be read ({error.strerror or error})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PoolError(f"pool file {path}: not valid JSON ({error})") from None
    try:
        return Pool.model_validate(raw)
    except ValidationError as error:
        problems = describe_validation(error, name=lambda loc: _entry_name(loc, raw))
        raise PoolError(f"pool file {path}: {problems}") from None


def _entry_name(loc: tuple[int | str, ...], raw: object) -> str:
    """'developers[3] (Kim Kimsson).skills[1]' for a validation error location."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{part}]"]
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("name"), str):
                parts[-1] += f" ({node['name']})"
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)
