"""The mutator: one change per mutant, at the right place, named so equivalent.toml can find it again."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from mutation.mutants import changed_lines, mutants
from mutation.report import EQUIVALENT, toml_line
from mutation.targets import TARGETS, find

SOURCE = '''"""A module docstring is never mutated."""

from __future__ import annotations

import os

LIMIT: int = 3


def check(values: list[int], name: str = "x") -> bool:
    """Nor is a function's docstring."""
    total = 0
    for value in values:
        if value > LIMIT and not os.sep:
            break
        total += value
    if total:
        print(name, end="")
    return total == 2


def first(values: list[str]) -> str | None:
    try:
        return values[0]
    except (IndexError, KeyError):
        raise ValueError("empty") from None
'''


def keys(source: str) -> list[str]:
    return [mutant.key for mutant in mutants(source)]


def test_each_kind_of_change_is_made_and_named() -> None:
    assert keys(SOURCE) == [
        "<module>: 3 -> 4",
        "check: 'x' -> 'XXxXX'",
        "check: 0 -> 1",
        "check: value > LIMIT and (not os.sep) -> value > LIMIT or not os.sep",
        "check: value > LIMIT -> value >= LIMIT",
        "check: not os.sep -> os.sep",
        "check: break -> continue",
        "check: total += value -> total -= value",
        "check: total -> not total",
        "check: print(name, end='') -> pass",
        "check: end='' -> (dropped)",
        "check: '' -> 'XXXX'",
        "check: return total == 2 -> return None",
        "check: total == 2 -> total != 2",
        "check: 2 -> 3",
        "first: return values[0] -> return None",
        "first: 0 -> 1",
        "first: except IndexError -> (not caught)",
        "first: except KeyError -> (not caught)",
        "first: raise ValueError('empty') from None -> pass",
        "first: 'empty' -> 'XXemptyXX'",
    ]


def test_each_mutant_changes_one_place_and_parses() -> None:
    for mutant in mutants(SOURCE):
        ast.parse(mutant.source)
        removed = [line for line in changed_lines(SOURCE, mutant) if line.startswith("-") and line != "--- original"]
        assert len(removed) == 1, mutant.key
        assert SOURCE.splitlines()[mutant.line - 1] == removed[0][1:]


def test_positions_are_bytes_so_text_before_a_change_may_be_any_script() -> None:
    source = 'GREETING = "Hyvää päivää 🚀"; LIMIT = 1 + 2\n'
    assert [mutant.source for mutant in mutants(source)] == [
        'GREETING = "XXHyvää päivää 🚀XX"; LIMIT = 1 + 2\n'.replace('"XXHyvää päivää 🚀XX"', "'XXHyvää päivää 🚀XX'"),
        'GREETING = "Hyvää päivää 🚀"; LIMIT = (1 - 2)\n',
        'GREETING = "Hyvää päivää 🚀"; LIMIT = 2 + 2\n',
        'GREETING = "Hyvää päivää 🚀"; LIMIT = 1 + 3\n',
    ]


def test_a_replacement_keeps_its_meaning_where_it_lands() -> None:
    """Replacements are parenthesised unless atomic, so precedence around them cannot change what they say."""
    expected = ["x = 2 * (a and b) + -c", "x = 2 / (a and b) - -c", "x = 3 * (a and b) - -c"]
    expected += ["x = 2 * (a or b) - -c", "x = 2 * (a and b) - c"]
    found = [ast.dump(ast.parse(mutant.source)) for mutant in mutants("x = 2 * (a and b) - -c\n")]
    assert found == [ast.dump(ast.parse(source)) for source in expected]


def test_the_same_change_twice_in_a_scope_gets_a_numbered_key() -> None:
    assert keys("def f():\n    return 1, 1\n") == ["f: return (1, 1) -> return None", "f: 1 -> 2", "f: 1 -> 2 [2]"]


def test_annotations_imports_and_falsy_returns_are_left_alone() -> None:
    source = 'import re\nfrom typing import Literal\n\n\ndef f(x: Literal["a"]) -> Literal[1]:\n    return None\n'
    assert keys(source) == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_every_target_names_its_tests(target: object) -> None:
    chosen = find(target.name)  # type: ignore[attr-defined]
    assert chosen is target
    for test in chosen.tests:
        assert Path(test).name.startswith("test_"), test


def test_the_equivalent_list_is_toml_with_a_reason_for_every_mutant() -> None:
    listed = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    assert set(listed) <= {target.name for target in TARGETS}
    for table in listed.values():
        assert all(isinstance(reason, str) and len(reason) > 10 for reason in table.values())


def test_a_key_with_quotes_and_backslashes_round_trips_through_toml() -> None:
    key = "_too_deep: b'\\x00' in body -> b'\\x00' not in body \"quoted\" …"
    assert tomllib.loads(f"[t]\n{toml_line(key, 'a reason long enough')}\n")["t"] == {key: "a reason long enough"}
