"""Scores: killed / (mutants - equivalent) per target, kept as JSON per target and shown as one Markdown table.

Equivalent mutants come from equivalent.toml: a table per target, `"<mutant key>" = "why it cannot change
behaviour"`. A listed mutant that a test kills, or a key that no longer names a mutant, is reported, so the
list cannot quietly go stale.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mutation.runner import Result

EQUIVALENT = Path(__file__).with_name("equivalent.toml")
GOAL = 0.90


@dataclass(frozen=True)
class Score:
    target: str
    module: str
    mutants: int
    killed: int  # a test failed (or the tests could not even import the mutant)
    timed_out: int  # counted as killed: the change made the tests hang
    survived: int  # not counting the equivalent ones
    equivalent: int
    errors: int
    run_at: str
    commit: str
    note: str = ""  # "survivors re-run" (the others carried over from the last run), or how far an interrupted run got

    @property
    def score(self) -> float:
        judged = self.mutants - self.equivalent
        return (self.killed + self.timed_out) / judged if judged else 1.0


def equivalents(target: str) -> dict[str, str]:
    """The target's equivalent mutants: key -> reason."""
    listed = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8")).get(target, {})
    return {str(key): str(reason) for key, reason in listed.items()}


def score(
    target: str, module: str, results: list[Result], run_at: str, commit: str, note: str = ""
) -> tuple[Score, list[str]]:
    """The target's score, and warnings about its equivalent list."""
    listed = equivalents(target)
    by_key = {result.key: result for result in results}
    warnings = [f"listed as equivalent but no such mutant now: {key}" for key in listed if key not in by_key]
    warnings += [
        f"listed as equivalent but a test kills it: {key}"
        for key in listed
        if key in by_key and by_key[key].status in ("killed", "timeout")
    ]
    survived = [result for result in results if result.status == "survived"]
    equivalent = sum(1 for result in survived if result.key in listed)
    counted = Score(
        target=target,
        module=module,
        mutants=len(results),
        killed=sum(1 for result in results if result.status == "killed"),
        timed_out=sum(1 for result in results if result.status == "timeout"),
        survived=len(survived) - equivalent,
        equivalent=equivalent,
        errors=sum(1 for result in results if result.status == "error"),
        run_at=run_at,
        commit=commit,
        note=note,
    )
    return counted, warnings


def save(directory: Path, counted: Score, results: list[Result]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{counted.target}.json"
    record = {"score": asdict(counted), "results": [asdict(result) for result in results]}
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(directory: Path, target: str) -> tuple[Score, list[Result]] | None:
    path = directory / f"{target}.json"
    if not path.exists():
        return None
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return Score(**record["score"]), [Result(**result) for result in record["results"]]


def table(scores: list[Score]) -> str:
    """The Markdown score table, one row per target."""
    lines = [
        "| target | module | mutants | killed | timed out | survived | equivalent | score | goal | run (UTC) |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for counted in scores:
        met = "met" if counted.score >= GOAL else "NOT met"
        when = f"{counted.run_at} @ {counted.commit}" + (f" ({counted.note})" if counted.note else "")
        lines.append(
            f"| {counted.target} | `{counted.module}` | {counted.mutants} | {counted.killed} | {counted.timed_out} "
            f"| {counted.survived} | {counted.equivalent} | {counted.score:.0%} | {met} | {when} |"
        )
    return "\n".join(lines) + "\n"


def toml_line(key: str, reason: str = "") -> str:
    """A line for equivalent.toml (JSON strings are valid TOML basic strings)."""
    return f"{json.dumps(key, ensure_ascii=False)} = {json.dumps(reason, ensure_ascii=False)}"
