"""Everyone the files list, in one pool: skill names mapped to the vocabulary's, people listed twice merged, and a
report of what was done that a person should know."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bestdev.pool import Pool, name_key
from bestdev.pool_import.formats import Format, Person, read_file
from bestdev.pool_import.skill_names import SkillNames
from bestdev.pool_import.tables import PoolImportError


@dataclass
class Unknown:
    """A skill the vocabulary does not know, kept as written."""

    skill: str
    where: str
    suggestions: list[str]


@dataclass
class Imported:
    pool: Pool
    formats: list[tuple[str, Format, int]] = field(default_factory=list)  # file, format, people read
    unused: list[tuple[str, list[str]]] = field(default_factory=list)  # file, columns not used
    renamed: dict[str, str] = field(default_factory=dict)  # as written -> the vocabulary's name
    unknown: list[Unknown] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # one line per person listed more than once

    def report(self) -> list[str]:
        """What a person should read after an import, one line each."""
        lines = [f"{source}: read as {kind}, {count} people" for source, kind, count in self.formats]
        lines += [f"{source}: columns not used: {', '.join(columns)}" for source, columns in self.unused if columns]
        if self.renamed:
            shown = ", ".join(f"{written!r} -> {name!r}" for written, name in list(self.renamed.items())[:8])
            more = f" and {len(self.renamed) - 8} more" if len(self.renamed) > 8 else ""
            lines.append(f"skill names written as the vocabulary writes them: {shown}{more}")
        for item in self.unknown:
            hint = (
                f" (did you mean {' or '.join(repr(name) for name in item.suggestions)}?)" if item.suggestions else ""
            )
            lines.append(f"{item.where}: skill {item.skill!r} is not in the vocabulary, kept as written{hint}")
        lines += self.merged
        developers = len(self.pool.developers)
        lines.append(f"{developers} developers, {sum(len(d.skills) for d in self.pool.developers)} skills in all")
        return lines


def import_pool(
    paths: Sequence[Path], company: str | None = None, chosen: Format | None = None, names: SkillNames | None = None
) -> Imported:
    """One pool from the files, in their order; `company` names it (else the company of a pool JSON among them)."""
    reads = [read_file(path, chosen) for path in paths]
    company = company or next((read.company for read in reads if read.company), None)
    if not company or not company.strip():
        raise PoolImportError("name the company with --company (only a pool JSON says which company it is)")
    names = names or SkillNames()
    people: dict[str, Person] = {}
    report = Imported(pool=Pool(company=company, developers=[]))
    for read in reads:
        report.formats.append((read.source, read.format, len(read.people)))
        report.unused.append((read.source, read.unused))
        for person in read.people:
            key = name_key(person.name)
            if key in people:
                report.merged.append(f"{person.where}: {person.name} is listed again ({people[key].where}): merged")
                _merge(people[key], person)
            else:
                people[key] = person
    documents = [_document(person, names, report) for person in people.values()]
    try:
        report.pool = Pool.model_validate({"company": company, "developers": documents})
    except ValidationError as error:
        first = error.errors()[0]
        index = first["loc"][1] if len(first["loc"]) > 1 and first["loc"][0] == "developers" else None
        where = list(people.values())[index].where if isinstance(index, int) else "the pool"
        raise PoolImportError(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None
    return report


def _merge(kept: Person, again: Person) -> None:
    kept.title = kept.title or again.title
    kept.skills += again.skills
    kept.projects += [project for project in again.projects if project not in kept.projects]
    if again.available_from is not None and (kept.available_from is None or again.available_from > kept.available_from):
        kept.available_from = again.available_from
    if again.allocation is not None:
        kept.allocation = max(kept.allocation or 0, again.allocation)


def _document(person: Person, names: SkillNames, report: Imported) -> dict[str, Any]:
    levels: dict[str, int | None] = {}
    for skill in person.skills:
        text = " ".join(skill.text.split())
        name = names.canonical(text)
        if name is None:
            name = text
            if not any(item.skill.casefold() == text.casefold() for item in report.unknown):
                report.unknown.append(Unknown(text, skill.where, names.suggestions(text)))
        elif name != text:
            report.renamed.setdefault(text, name)
        known = next((key for key in levels if key.casefold() == name.casefold()), name)
        if skill.level is not None:
            levels[known] = max(levels.get(known) or 0, skill.level)
        else:
            levels.setdefault(known, None)
    entry: dict[str, Any] = {
        "name": person.name,
        "skills": [name if level is None else {"name": name, "level": level} for name, level in levels.items()],
        "projects": person.projects,
    }
    if person.title:
        entry["title"] = person.title
    if person.available_from is not None:
        entry["available_from"] = person.available_from.isoformat()
    if person.allocation is not None:
        entry["allocation"] = person.allocation
    return entry
