"""The curated technology vocabulary shipped with the package (technologies.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

VOCABULARY_FILE = Path(str(files("bestdev") / "skills" / "technologies.toml"))


@dataclass(frozen=True)
class Technology:
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous: bool = False
    related: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every way of writing the technology itself: the name, then the aliases."""
        return (self.name, *self.aliases)


def load_vocabulary(path: Path | None = None) -> tuple[Technology, ...]:
    path = path or VOCABULARY_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    technologies = []
    for index, entry in enumerate(data.get("technology", [])):
        try:
            technologies.append(
                Technology(
                    name=entry["name"],
                    category=entry["category"],
                    aliases=tuple(entry.get("aliases", ())),
                    ambiguous=bool(entry.get("ambiguous", False)),
                    related=tuple(entry.get("related", ())),
                )
            )
        except KeyError as missing:
            raise ValueError(f"{path}: technology[{index}] lacks {missing}") from None
    return tuple(technologies)
