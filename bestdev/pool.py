"""The developer pool: the only source of truth about who exists and what they know."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from bestdev.errors import BestDevError, dotted

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


MIN_LEVEL, MAX_LEVEL = 1, 5


class SkillLevel(BaseModel):
    """A skill with how well the developer knows it: 1 (basic) to 5 (expert)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    level: int = Field(ge=MIN_LEVEL, le=MAX_LEVEL, strict=True)

    _clean_name = field_validator("name")(_non_blank)


_SKILLS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": 'What the developer knows: a name ("Go"), or a name with a level 1-5 ({"name": "Go", "level": 4}).',
    "items": {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "level": {"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL},
                },
                "required": ["name", "level"],
                "additionalProperties": False,
            },
        ]
    },
}


class Developer(BaseModel):
    """One person. `skills` are the names as the pool lists them; `levels` holds the levels given with them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    skills: Annotated[list[str], WithJsonSchema(_SKILLS_SCHEMA)]
    title: str | None = None
    projects: list[Project] = Field(default_factory=list)
    available_from: date | None = Field(
        None, description="The first day they are free for a new project (free now when absent or past)."
    )
    allocation: int | None = Field(
        None, ge=0, le=100, description="The share of their time already booked until available_from, in percent."
    )
    levels: SkipJsonSchema[dict[str, int]] = Field(default_factory=dict, exclude=True)

    _clean_name = field_validator("name")(_non_blank)

    @model_validator(mode="before")
    @classmethod
    def _levels_from_skills(cls, data: Any) -> Any:
        """The levels given with the skills ({"name": "Go", "level": 4}) go to `levels`; `skills` keeps the names."""
        if not isinstance(data, dict):
            return data
        if "levels" in data:
            raise ValueError('levels: give a level with its skill, as {"name": "Go", "level": 4}')
        skills = data.get("skills")
        if not isinstance(skills, list):
            return data
        levels: dict[str, int] = {}
        for entry in skills:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and type(entry.get("level")) is int:
                name = " ".join(entry["name"].split())
                if name and MIN_LEVEL <= entry["level"] <= MAX_LEVEL:
                    levels.setdefault(name, entry["level"])
        return {**data, "levels": levels}

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_names(cls, skills: Any) -> Any:
        if not isinstance(skills, list):
            return skills
        names, problems = [], []
        for index, entry in enumerate(skills):
            if not isinstance(entry, dict):
                names.append(entry)
                continue
            try:
                names.append(SkillLevel.model_validate(entry).name)
            except ValidationError as error:
                detail = ", ".join(
                    f"{dotted(item['loc'])}: {item['msg'].removeprefix('Value error, ')}" for item in error.errors()
                )
                problems.append(f"[{index}] {detail}")
        if problems:
            raise ValueError("; ".join(problems).replace("; ", ", "))
        return names

    @field_validator("skills")
    @classmethod
    def _clean_skills(cls, skills: list[str]) -> list[str]:
        return list(dict.fromkeys(_non_blank(skill) for skill in skills))

    def level(self, skill: str) -> int | None:
        """The level the pool gives this skill (1-5), None when it gives none."""
        return self.levels.get(skill)

    def free_on(self, day: date) -> bool:
        """Whether they can start on `day`: free from it, or (without a date) not fully booked."""
        if self.available_from is not None:
            return self.available_from <= day or (self.allocation is not None and self.allocation < 100)
        return (self.allocation or 0) < 100

    def document(self) -> dict[str, Any]:
        """This developer as the pool file writes them (levels with their skills, absent fields left out)."""
        skills: list[Any] = [
            {"name": skill, "level": self.levels[skill]} if skill in self.levels else skill for skill in self.skills
        ]
        entry: dict[str, Any] = {"name": self.name}
        if self.title is not None:
            entry["title"] = self.title
        entry["skills"] = skills
        if self.projects:
            entry["projects"] = [project.model_dump(exclude_none=True) for project in self.projects]
        if self.available_from is not None:
            entry["available_from"] = self.available_from.isoformat()
        if self.allocation is not None:
            entry["allocation"] = self.allocation
        return entry

    def fingerprint(self) -> str:
        """A short hash of what they know (skills with levels, project technologies): it changes when that does."""
        known = sorted(f"{skill.casefold()}:{self.levels.get(skill, 0)}" for skill in self.skills)
        known += sorted({tech.casefold() for project in self.projects for tech in project.technologies})
        return hashlib.sha256("\n".join(known).encode()).hexdigest()[:12]

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
    _version: str = PrivateAttr(default="")
    # Worked out once with the names, so a request never walks the whole pool to ask (levels, availability).
    _levelled: bool = PrivateAttr(default=False)
    _bookable: tuple[Developer, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _unique_names(self) -> Pool:
        seen = self._position
        twins = []
        for index, developer in enumerate(self.developers):
            key = name_key(developer.name)
            if key in seen:
                twins.append(f"developers[{index}] ({developer.name!r}) has the same name as developers[{seen[key]}]")
            else:
                seen[key] = index
                self._exact[developer.name] = index
        if twins:
            raise ValueError("; ".join(twins))
        self._levelled = any(developer.levels for developer in self.developers)
        self._bookable = tuple(
            developer
            for developer in self.developers
            if developer.available_from is not None or developer.allocation is not None
        )
        return self

    @property
    def levelled(self) -> bool:
        """Whether the pool gives a level for anyone's skill."""
        return self._levelled

    def anyone_busy_on(self, day: date) -> bool:
        """Whether someone in the pool is not free on `day` (only those with a date or a booking can be busy)."""
        return any(not developer.free_on(day) for developer in self._bookable)

    def document(self) -> dict[str, Any]:
        """The pool as its file writes it."""
        return {"company": self.company, "developers": [developer.document() for developer in self.developers]}

    @property
    def version(self) -> str:
        """A short hash of the pool's content: the same pool always has the same version."""
        cached = self._version
        if not cached:
            text = json.dumps(self.document(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            cached = self._version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        return cached

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


def load_pool(path: Path | str | None = None) -> Pool:
    """Load and validate a pool file (the bundled sample when no path is given)."""
    path = Path(path) if path else SAMPLE_POOL
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PoolError(f"pool file {path}: cannot be read ({error.strerror or error})") from None
    return parse_pool(data, str(path))


def parse_pool(data: bytes, source: str) -> Pool:
    """A pool from the bytes of a pool file; `source` names it in errors (a path or a URL)."""
    problems = pool_problems(data)
    if isinstance(problems, Pool):
        return problems
    raise PoolError(f"pool file {source}: {'; '.join(problems)}")


def pool_problems(data: bytes) -> Pool | list[str]:
    """The pool in these bytes, or every problem that keeps them from being one (each naming its entry)."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return [f"not valid JSON ({error})"]
    try:
        return Pool.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where, message = _entry_name(item["loc"], raw), item["msg"].removeprefix("Value error, ")
            for part in message.split("; ") if not where else [message]:
                problems.append(f"{where}: {part}" if where else part)
        return problems


def pool_schema() -> dict[str, Any]:
    """The pool file's JSON Schema, for systems that produce it."""
    schema = Pool.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "BestDev pool"
    return schema


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


class TrainedPool(BaseModel):
    """What a model was trained on, as dataset.json records it: the pool's version and each developer's
    fingerprint (what they know), so the live pool can be compared with it without the training data."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str
    company: str
    developers: dict[str, str]  # name -> Developer.fingerprint()

    @classmethod
    def of(cls, pool: Pool) -> TrainedPool:
        return cls(
            version=pool.version,
            company=pool.company,
            developers={developer.name: developer.fingerprint() for developer in pool.developers},
        )


class Drift(BaseModel):
    """How the live pool differs from the one a model was trained on."""

    model_config = ConfigDict(frozen=True)

    trained_version: str
    new: int  # developers the model never saw
    changed: int  # developers it saw whose skills (or levels, or project technologies) changed since
    developers: int  # in the live pool

    @property
    def new_share(self) -> float:
        return self.new / self.developers if self.developers else 0.0


def drift(trained: TrainedPool, pool: Pool) -> Drift:
    seen = {name_key(name): fingerprint for name, fingerprint in trained.developers.items()}
    new = changed = 0
    for developer in pool.developers:
        known = seen.get(name_key(developer.name))
        if known is None:
            new += 1
        elif known != developer.fingerprint():
            changed += 1
    return Drift(trained_version=trained.version, new=new, changed=changed, developers=len(pool.developers))


def parse_trained(data: bytes, source: str) -> TrainedPool:
    """The trained-on record from a dataset.json (its `trained_pool`) or from the record alone."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
        return TrainedPool.model_validate(raw.get("trained_pool", raw) if isinstance(raw, dict) else raw)
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError) as error:
        raise PoolError(f"{source}: not a dataset.json with the pool it was built from ({error})") from None
