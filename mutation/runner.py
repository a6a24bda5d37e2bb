"""Runs a target's tests against each of its mutants, one at a time, in a throw-away copy of the tree.

The working tree is never written: the tree is copied to a temporary directory, the mutant is written there, and
pytest runs in a fresh process from that copy (so it imports the copy's `bestdev`). Whatever stops the run
(Ctrl-C, SIGTERM, an error) kills the test process and deletes the copy.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mutation.mutants import Mutant
from mutation.targets import Target

Status = Literal["killed", "timeout", "survived", "error"]
MIN_TIMEOUT = 30.0  # seconds; a mutant gets max(this, TIMEOUT_FACTOR x the unmutated run)
TIMEOUT_FACTOR = 3.0
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "test-artifacts", "node_modules"
)


@dataclass(frozen=True)
class Result:
    key: str
    line: int
    status: Status
    seconds: float


class BaselineFailed(Exception):
    """The target's tests fail on the unmutated code, so no mutant can be judged."""


@contextmanager
def tree_copy(root: Path) -> Iterator[Path]:
    """A copy of the tree in a temporary directory, removed however the block ends (SIGTERM included)."""
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        with tempfile.TemporaryDirectory(prefix="bestdev-mutation-") as temporary:
            copy = Path(temporary) / "tree"
            shutil.copytree(root, copy, symlinks=True, ignore=_NOT_COPIED)
            yield copy
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_target(
    target: Target,
    copy: Path,
    mutants: Sequence[Mutant],
    progress: Callable[[int, Result], None],
    timeout_factor: float = TIMEOUT_FACTOR,
) -> list[Result]:
    """Each mutant written into `copy`, the target's tests run against it; the original is put back after."""
    module = copy / target.module
    original = module.read_text(encoding="utf-8")
    _check_imports_the_copy(copy, target)
    _forget_bytecode(module)
    started = time.monotonic()
    status, output = _pytest(copy, target.tests, timeout=None)
    baseline = time.monotonic() - started
    if status != "survived":
        raise BaselineFailed(f"{target.name}: the tests fail on the unmutated code:\n{output[-3000:]}")
    timeout = max(MIN_TIMEOUT, timeout_factor * baseline)
    results: list[Result] = []
    try:
        for index, mutant in enumerate(mutants, 1):
            module.write_text(mutant.source, encoding="utf-8")
            started = time.monotonic()
            status, _ = _pytest(copy, target.tests, timeout)
            result = Result(mutant.key, mutant.line, status, round(time.monotonic() - started, 1))
            results.append(result)
            progress(index, result)
    finally:
        module.write_text(original, encoding="utf-8")
    return results


def _pytest(copy: Path, tests: Sequence[str], timeout: float | None) -> tuple[Status, str]:
    """Run the tests in a new process group; 'survived' when they pass, 'killed' when one fails."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:schemathesis", *tests]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": "1"}  # CI: hypothesis replays a fixed sequence
    with subprocess.Popen(
        command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            return "timeout", ""
        except BaseException:
            _kill(process)
            raise
    text = output.decode(errors="replace")
    if process.returncode == 0:
        return "survived", text
    if process.returncode in (1, 2):  # a test failed, or collection failed (the mutant broke an import)
        return "killed", text
    return "error", text


def _kill(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _check_imports_the_copy(copy: Path, target: Target) -> None:
    """The tests must import the mutated copy, not an installed bestdev; otherwise every mutant would survive."""
    name = target.module.removesuffix(".py").replace("/", ".")
    probe = f"import {name} as m; print(m.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=copy, capture_output=True, text=True, check=True
    ).stdout.strip()
    if Path(found).resolve() != (copy / target.module).resolve():
        raise BaselineFailed(f"{target.name}: the copy's tests import {found}, not the copy's {target.module}")


def _forget_bytecode(module: Path) -> None:
    """A stale .pyc of the same size and second would hide a mutant; with no .pyc the source is always read."""
    Path(importlib.util.cache_from_source(str(module))).unlink(missing_ok=True)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
