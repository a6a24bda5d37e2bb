"""The formats a pool is imported from, each turned into people as the file lists them: a skills matrix (a row per
person, a column per skill), a long list (a row per person and skill), a people list with a skills column, and
the pool JSON itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from bestdev.pool import name_key, pool_problems
from bestdev.pool_import import values
from bestdev.pool_import.headers import Header, Role, find_header, looked_for
from bestdev.pool_import.tables import PoolImportError, Row, Table, decode, is_xlsx, read_table

Format = Literal["matrix", "long", "people", "json"]
FORMATS: tuple[Format, ...] = ("matrix", "long", "people", "json")
MARK_SHARE = 0.5  # a column is a skill of the matrix when at least this share of its filled cells are levels or marks
_LIST = re.compile(r"[,;|\n]")
_WITH_LEVEL = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<p>[^()]*)\)|:\s*(?P<c>\S+)|\s(?P<s>[1-5])/5)$")


@dataclass
class Skill:
    text: str  # as the file writes it
    level: int | None
    where: str  # "file: row 4, column 'Go'"


@dataclass
class Person:
    name: str
    where: str  # "file: row 4"
    title: str | None = None
    skills: list[Skill] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)  # as the pool file writes them
    available_from: date | None = None
    allocation: int | None = None


@dataclass
class Read:
    """What one file gave: its people, the format it was read as, the columns it did not use, its company."""

    source: str
    format: Format
    people: list[Person]
    unused: list[str] = field(default_factory=list)
    company: str | None = None


def read_file(path: Path, chosen: Format | None = None) -> Read:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PoolImportError(f"{path}: cannot be read ({error.strerror or error})") from None
    if chosen == "json" or (chosen is None and _looks_like_json(path, data)):
        return _from_json(path, data)
    table = read_table(path, data)
    header = find_header(table)
    if header is None:
        raise PoolImportError(
            f"{table.source}: no header row naming the person among the first rows (looked for {looked_for()})"
        )
    kind = chosen or detect(header)
    needed = {"long": ("skill", "a long list", "skill"), "people": ("skills", "a people list", "skills")}.get(kind)
    if needed is not None and needed[0] not in header.roles:
        raise PoolImportError(f"{table.source}: read as {needed[1]}, it needs a {needed[2]} column")
    reader: Callable[[Table, Header], Read] = {"matrix": _matrix, "long": _long, "people": _people}[kind]
    return reader(table, header)


def detect(header: Header) -> Format:
    """A skill column (one per row) makes a long list, a skills column a people list; otherwise a matrix."""
    if "skill" in header.roles:
        return "long"
    if "skills" in header.roles:
        return "people"
    return "matrix"


def _looks_like_json(path: Path, data: bytes) -> bool:
    return not is_xlsx(data) and decode(path, data[:64]).lstrip().startswith(("{", "["))


def _from_json(path: Path, data: bytes) -> Read:
    found = pool_problems(data)
    if not isinstance(found, list):
        people = [
            Person(
                name=developer.name,
                where=f"{path}: developers[{index}]",
                title=developer.title,
                skills=[
                    Skill(skill, developer.level(skill), f"{path}: developers[{index}] ({developer.name})")
                    for skill in (*developer.skills,)
                ],
                projects=[project.model_dump(exclude_none=True) for project in developer.projects],
                available_from=developer.available_from,
                allocation=developer.allocation,
            )
            for index, developer in enumerate(found.developers)
        ]
        return Read(str(path), "json", people, company=found.company)
    raise PoolImportError(f"{path}: " + "; ".join(found))


def _where(table: Table, row: Row, header: Header | None = None, column: int | None = None) -> str:
    place = f"{table.source}: row {row.number}"
    if header is not None and column is not None:
        place += f", column {header.name(column)!r}"
    return place


T = TypeVar("T")


def _cell(table: Table, header: Header, row: Row, column: int, read: Callable[[str], T]) -> T:
    try:
        return read(row.get(column))
    except values.CellError as error:
        raise PoolImportError(f"{_where(table, row, header, column)}: {error}") from None


def _person(table: Table, header: Header, row: Row) -> Person | None:
    """The person of a row with what every format shares (name, title, availability); None for a row without one."""
    roles = header.roles
    if "name" in roles:
        name = row.get(roles["name"])
    else:
        name = f"{row.get(roles['first_name'])} {row.get(roles['last_name'])}".strip()
    if not name:
        filled = [column for column, cell in enumerate(row.cells) if cell]
        column = roles.get("name", roles.get("first_name", 0))
        if filled:
            raise PoolImportError(f"{_where(table, row, header, column)}: no name, but the row has other values")
        return None
    person = Person(name=" ".join(name.split()), where=_where(table, row))
    if "title" in roles:
        person.title = row.get(roles["title"]) or None
    if "available_from" in roles:
        person.available_from = _cell(table, header, row, roles["available_from"], values.day)
    if "allocation" in roles:
        person.allocation = _cell(table, header, row, roles["allocation"], values.share)
    if "projects" in roles:
        names = [part.strip() for part in _LIST.split(row.get(roles["projects"])) if part.strip()]
        person.projects = [{"name": name} for name in dict.fromkeys(names)]
    return person


SHARED: tuple[Role, ...] = ("name", "first_name", "last_name", "title", "available_from", "allocation", "projects")


def _unused(header: Header, used: set[int]) -> list[str]:
    columns = [*header.roles.values(), *header.other]
    return [header.name(column) for column in sorted(columns) if column not in used and header.name(column)]


def _used(header: Header, roles: tuple[Role, ...]) -> set[int]:
    return {column for role, column in header.roles.items() if role in roles}


def _body(table: Table, header: Header) -> list[Row]:
    return [row for row in table.rows if row.number > header.row.number]


def _matrix(table: Table, header: Header) -> Read:
    rows = _body(table, header)
    skills = [column for column in header.other if _mostly_marks(rows, column)]
    people = []
    for row in rows:
        person = _person(table, header, row)
        if person is None:
            continue
        for column in skills:
            held, level = _cell(table, header, row, column, values.level_or_mark)
            if held:
                person.skills.append(Skill(header.name(column), level, _where(table, row, header, column)))
        people.append(person)
    used = _used(header, SHARED) | set(skills)
    return Read(table.source, "matrix", people, _unused(header, used))


def _mostly_marks(rows: list[Row], column: int) -> bool:
    filled = [row.get(column) for row in rows if row.get(column)]
    return bool(filled) and sum(values.is_level_or_mark(cell) for cell in filled) >= MARK_SHARE * len(filled)


def _long(table: Table, header: Header) -> Read:
    people: dict[str, Person] = {}
    skill_column, level_column = header.roles["skill"], header.roles.get("level")
    for row in _body(table, header):
        person = _person(table, header, row)
        if person is None:
            continue
        known = people.setdefault(name_key(person.name), person)
        known.title = known.title or person.title
        known.available_from = known.available_from or person.available_from
        known.allocation = known.allocation if known.allocation is not None else person.allocation
        known.projects += [project for project in person.projects if project not in known.projects]
        text = row.get(skill_column)
        if not text:
            raise PoolImportError(f"{_where(table, row, header, skill_column)}: no skill")
        level = None if level_column is None else _cell(table, header, row, level_column, values.level)
        known.skills.append(Skill(text, level, _where(table, row, header, skill_column)))
    used = _used(header, (*SHARED, "skill", "level"))
    return Read(table.source, "long", list(people.values()), _unused(header, used))


def _people(table: Table, header: Header) -> Read:
    people = []
    column = header.roles["skills"]
    for row in _body(table, header):
        person = _person(table, header, row)
        if person is None:
            continue
        where = _where(table, row, header, column)
        for part in _LIST.split(row.get(column)):
            if part.strip():
                person.skills.append(_skill_with_level(part.strip(), where))
        people.append(person)
    used = _used(header, (*SHARED, "skills"))
    return Read(table.source, "people", people, _unused(header, used))


def _skill_with_level(text: str, where: str) -> Skill:
    """'Go', 'Go (4)', 'Go: 4' or 'Go 4/5'; parentheses that hold no level stay part of the name ('Azure (AKS)')."""
    match = _WITH_LEVEL.match(text)
    if match:
        written = match["p"] or match["c"] or match["s"] or ""
        try:
            level = values.level(written)
        except values.CellError:
            level = None
        else:
            if level is not None:
                return Skill(match["name"].strip(), level, where)
    return Skill(text, None, where)
