"""The package layout the README's "How it works" describes: imports point one way, the domain knows nothing of
HTTP or the CLI, and the training-data and fine-tuning packages stay out of the served app."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import bestdev

PACKAGE = Path(bestdev.__file__).parent


def _imports() -> dict[str, set[str]]:
    """For each top-level part of bestdev (a package or a module), the modules it imports, lazily or not."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found[part].update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found[part].add(node.module)
                if node.module == "bestdev":
                    found[part].update(f"bestdev.{alias.name}" for alias in node.names)
    return found


IMPORTS = _imports()


def _parts_imported_by(part: str) -> set[str]:
    return {name.split(".")[1] for name in IMPORTS[part] if name.startswith("bestdev.")} - {part}


@pytest.mark.parametrize(
    ("part", "allowed"),
    [
        ("errors", set()),
        ("template", set()),
        ("skills", {"errors"}),
        ("settings", {"errors"}),
        ("pool", {"errors"}),
        ("pool_import", {"errors", "pool", "skills"}),
        ("pool_source", {"errors", "pool", "settings"}),
        ("model", {"errors", "settings", "template"}),
        ("recommend", {"errors", "settings", "template", "pool", "skills", "model"}),
        ("dataset", {"errors", "template", "pool", "skills", "recommend", "feedback"}),
        ("finetune", {"errors", "settings", "lifecycle"}),
    ],
)
def test_a_lower_package_imports_only_what_lies_below_it(part: str, allowed: set[str]) -> None:
    assert _parts_imported_by(part) <= allowed


def test_only_the_cli_imports_the_commands() -> None:
    assert {part for part in IMPORTS if {"cli", "commands"} & _parts_imported_by(part)} <= {"__main__", "cli"}


def test_the_domain_knows_nothing_of_http_or_the_functions_host() -> None:
    web = ("fastapi", "starlette", "uvicorn", "azure.functions")
    speaking_http = {part for part, names in IMPORTS.items() if any(name.startswith(web) for name in names)}
    assert speaking_http <= {"api", "commands"}


def test_training_data_and_fine_tuning_are_the_commands_business() -> None:
    importers = {part for part in IMPORTS if {"dataset", "finetune"} & _parts_imported_by(part)}
    # keep_alive (lifecycle) reaches the management API through finetune.deployment, lazily, from a timer.
    assert importers <= {"commands", "lifecycle"}
