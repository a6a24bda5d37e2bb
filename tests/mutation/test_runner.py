"""The runner on a tiny project: mutants judged by its tests in a copy, hangs cut off, the tree never touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutation import runner
from mutation.mutants import Mutant, mutants
from mutation.runner import BaselineFailed, Result, run_target, tree_copy
from mutation.targets import Target

CALC = """def double(x):
    return x * 2


def countdown(n):
    while n > 0:
        n -= 1
    return n
"""
TESTS = """from calc.ops import countdown, double


def test_double():
    assert double(3) == 6


def test_countdown():
    assert countdown(2) == 0
"""
TARGET = Target("calc", "calc/ops.py", ("test_ops.py",))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project, and pytest without this suite's plugins so each run of its tests takes a moment."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "calc").mkdir()
    (tmp_path / "calc" / "__init__.py").write_text("")
    (tmp_path / "calc" / "ops.py").write_text(CALC)
    (tmp_path / "test_ops.py").write_text(TESTS)
    return tmp_path


def some(*keys: str) -> list[Mutant]:
    chosen = [mutant for mutant in mutants(CALC) if mutant.key in keys]
    assert len(chosen) == len(keys)
    return chosen


def test_mutants_are_judged_in_a_copy_and_the_tree_is_left_alone(project: Path) -> None:
    seen: list[Result] = []
    chosen = some("double: 2 -> 3", "countdown: 1 -> 2")
    with tree_copy(project) as copy:
        assert copy != project
        results = run_target(TARGET, copy, chosen, lambda index, result: seen.append(result))
        assert (copy / TARGET.module).read_text() == CALC  # the original is back in the copy too
    assert not copy.exists()
    assert (project / TARGET.module).read_text() == CALC
    assert seen == results
    assert [(result.key, result.status) for result in results] == [
        ("double: 2 -> 3", "killed"),
        ("countdown: 1 -> 2", "survived"),  # 2 counts down to 0 in steps of 2 as well: a gap the score shows
    ]


def test_a_mutant_that_hangs_the_tests_is_cut_off_and_counted_as_caught(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MIN_TIMEOUT", 1.0)
    with tree_copy(project) as copy:
        (result,) = run_target(TARGET, copy, some("countdown: n -= 1 -> n += 1"), lambda *_: None, timeout_factor=0)
    assert result.status == "timeout"


def test_tests_that_fail_unmutated_stop_the_run(project: Path) -> None:
    (project / "test_ops.py").write_text(TESTS.replace("== 6", "== 7"))
    with tree_copy(project) as copy, pytest.raises(BaselineFailed, match="fail on the unmutated code"):
        run_target(TARGET, copy, mutants(CALC), lambda index, result: None)


def test_the_copy_is_removed_when_the_run_fails(project: Path) -> None:
    with pytest.raises(RuntimeError), tree_copy(project) as copy:
        raise RuntimeError("interrupted")
    assert not copy.exists()
    assert (project / TARGET.module).read_text() == CALC
