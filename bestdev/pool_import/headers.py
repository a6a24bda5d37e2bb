"""Which column is which: header names matched case-insensitively, with the synonyms HR exports and skills
matrices use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bestdev.pool_import.tables import Row, Table

Role = Literal[
    "name",
    "first_name",
    "last_name",
    "title",
    "skills",
    "skill",
    "level",
    "projects",
    "available_from",
    "allocation",
]

SYNONYMS: dict[Role, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "employee",
        "employee name",
        "person",
        "consultant",
        "developer",
        "resource",
        "staff",
        "member",
        "display name",
    ),
    "first_name": ("first name", "given name", "forename", "firstname"),
    "last_name": ("last name", "surname", "family name", "lastname"),
    "title": ("title", "role", "job title", "position", "designation", "job role", "job"),
    "skills": (
        "skills",
        "technologies",
        "tech stack",
        "stack",
        "competences",
        "competencies",
        "expertise",
        "skill set",
        "skillset",
        "tools",
    ),
    "skill": ("skill", "technology", "competence", "competency", "tool", "skill name"),
    "level": ("level", "proficiency", "rating", "grade", "skill level", "score"),
    "projects": ("projects", "project", "project history", "recent projects"),
    "available_from": (
        "available from",
        "available",
        "availability",
        "free from",
        "available date",
        "availability date",
    ),
    "allocation": ("allocation", "booked", "utilisation", "utilization", "allocated", "booking"),
}
_ROLE_OF = {synonym: role for role, synonyms in SYNONYMS.items() for synonym in synonyms}
HEADER_SEARCH = 10  # a header row is looked for among the first rows (title rows and merged group rows above it)


def normal(header: str) -> str:
    """'Full Name', 'full_name' and ' FULL-NAME ' alike; a trailing '%' or '(%)' is dropped."""
    text = re.sub(r"\(?%\)?$", "", header.casefold().strip()).strip()
    return " ".join(re.sub(r"[_\-./]+", " ", text).split())


def role_of(header: str) -> Role | None:
    return _ROLE_OF.get(normal(header))


@dataclass(frozen=True)
class Header:
    row: Row  # the header row itself
    roles: dict[Role, int]  # the column of each role found (the first, if a role repeats)
    other: tuple[int, ...]  # the columns with a header that names no role (skills in a matrix, else unused)

    def name(self, column: int) -> str:
        return self.row.get(column)


def find_header(table: Table) -> Header | None:
    """The first row naming the person (a name column, or first and last name), among the first rows."""
    for row in table.rows[:HEADER_SEARCH]:
        roles: dict[Role, int] = {}
        other = []
        for column, cell in enumerate(row.cells):
            role = role_of(cell)
            if role is not None and role not in roles:
                roles[role] = column
            elif cell:
                other.append(column)
        if "name" in roles or {"first_name", "last_name"} <= roles.keys():
            return Header(row, roles, tuple(other))
    return None


def looked_for() -> str:
    return ", ".join(SYNONYMS["name"][:4]) + ", or first and last name"


def names(header: Header, columns: Iterable[int]) -> list[str]:
    return [header.name(column) for column in columns]
