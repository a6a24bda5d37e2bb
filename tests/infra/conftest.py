"""Fixtures for the infra/ checks: the Bicep files, parsed once with pycep-parser (there is no Bicep compiler here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pycep import BicepParser

INFRA = Path(__file__).resolve().parents[2] / "infra"
MAIN = INFRA / "main.bicep"
PARAMETERS = INFRA / "main.parameters.json"
MODULES = INFRA / "modules"


def bicep_files() -> list[Path]:
    """Every .bicep file under infra/, main first."""
    return sorted(INFRA.rglob("*.bicep"), key=lambda path: (path != MAIN, str(path)))


def parse_bicep(path: Path) -> dict[str, Any]:
    """The pycep JSON of one file; a syntax error raises and names the file."""
    try:
        parsed: dict[str, Any] = BicepParser().parse(text=path.read_text(encoding="utf-8"))
    except Exception as error:
        raise AssertionError(f"{path.name} does not parse: {error}") from error
    return parsed


def body(resource: dict[str, Any]) -> dict[str, Any]:
    """The properties block of a resource or module, under any `if (...)` or `for ... in` wrapper."""
    config: dict[str, Any] = resource["config"]
    while "config" in config and ("condition" in config or "loop_type" in config):
        config = config["config"]
    return config


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `bicep_path` runs once per .bicep file."""
    if "bicep_path" in metafunc.fixturenames:
        paths = bicep_files()
        metafunc.parametrize("bicep_path", paths, ids=[str(path.relative_to(INFRA)) for path in paths])


@pytest.fixture(scope="session")
def parse() -> Any:
    """The parser the checks use, for tests that parse text of their own."""
    return parse_bicep


@pytest.fixture(scope="session")
def body_of() -> Any:
    """Unwraps a resource or module to its properties block."""
    return body


@pytest.fixture(scope="session")
def parsed() -> dict[str, dict[str, Any]]:
    """Every Bicep file, parsed, keyed by its path relative to infra/ (e.g. 'modules/storage.bicep')."""
    return {str(path.relative_to(INFRA)): parse_bicep(path) for path in bicep_files()}


@pytest.fixture(scope="session")
def main(parsed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return parsed["main.bicep"]


@pytest.fixture(scope="session")
def parameters_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PARAMETERS.read_text(encoding="utf-8"))["parameters"]
    return data


@pytest.fixture(scope="session")
def resources(parsed: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every resource declared anywhere under infra/, keyed 'file:symbol'."""
    return {
        f"{file}:{symbol}": resource
        for file, template in parsed.items()
        for symbol, resource in template.get("resources", {}).items()
    }
