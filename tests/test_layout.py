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
        ("local_model", {"errors", "settings", "template", "pool", "model", "recommend", "evaluation"}),
    ],
)
def test_a_lower_package_imports_only_what_lies_below_it(part: str, allowed: set[str]) -> None:
    assert _parts_imported_by(part) <= allowed


def test_only_the_cli_imports_the_commands() -> None:
    assert {part for part in IMPORTS if {"cli", "commands"} & _parts_imported_by(part)} <= {"__main__", "cli"}


def test_the_domain_knows_nothing_of_http_or_the_functions_host() -> None:
    web = ("fastapi", "starlette", "uvicorn", "azure.functions")
    speaking_http = {part for part, names in IMPORTS.items() if any(name.startswith(web) for name in names)}
    # the local model server is an HTTP service of its own (the Azure OpenAI API), not the domain
    assert speaking_http <= {"api", "commands", "local_model"}


def test_training_data_and_fine_tuning_are_the_commands_business() -> None:
    importers = {part for part in IMPORTS if {"dataset", "finetune"} & _parts_imported_by(part)}
    # keep_alive (lifecycle) reaches the management API through finetune.deployment, lazily, from a timer.
    assert importers <= {"commands", "lifecycle"}


def _module_imports() -> dict[str, set[str]]:
    """For each module of bestdev (dotted name), the bestdev modules it imports, lazily, for typing or at the top."""
    modules = {
        ".".join(("bestdev", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__"): path
        for path in PACKAGE.rglob("*.py")
    }
    found: dict[str, set[str]] = {}
    for module, path in modules.items():
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[module] = {name for name in names if name in modules and name != module}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph` (its modules in order), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


# Pairs of modules that import each other on purpose, each with its reason; nothing else may form a cycle.
KNOWN_CYCLES = {
    # keep_alive reaches the management API through finetune.deployment, lazily, from a timer
    ("bestdev.lifecycle.keep_alive", "bestdev.finetune.deployment"),
    # the finetune command registers the serving commands (deploy, promote, ...), lazily; they reuse its account
    # settings and outcome, lazily too
    ("bestdev.commands.finetune", "bestdev.commands.serving"),
}


def test_no_module_imports_itself_through_others() -> None:
    graph = _module_imports()
    for first, second in KNOWN_CYCLES:
        graph[first].discard(second)
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_explanation_and_team_take_the_reading_not_the_recommender() -> None:
    graph = _module_imports()
    for module in ("bestdev.recommend.explain", "bestdev.recommend.team", "bestdev.recommend.reading"):
        assert "bestdev.recommend.local" not in graph[module]
        assert "bestdev.recommend.fine_tuned" not in graph[module]
