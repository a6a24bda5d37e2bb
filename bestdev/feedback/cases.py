"""Exported feedback as benchmark cases: people's decisions are the expected answers.

One case per description (requests with the same description merge): the developers people chose are the
expected answer; where nobody was marked chosen, the good picks are. Category "chosen" or "good" says which.
Descriptions with only "wrong" verdicts expect nothing in particular and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from bestdev.evaluation import Benchmark, BenchmarkCase, EvaluationError
from bestdev.feedback.records import Decision, description_hash
from bestdev.pool import Pool


def cases_from_feedback(decisions: Sequence[Decision], pool: Pool, source: str) -> Benchmark:
    """Decisions about developers who have left the pool are left out (the case could never be met)."""
    by_description: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_description.setdefault(description_hash(decision.description), []).append(decision)
    cases = []
    for group in by_description.values():
        present = [decision for decision in group if pool.find(decision.developer) is not None]
        chosen = _names(present, "chosen")
        category, expected = ("chosen", chosen) if chosen else ("good", _names(present, "good"))
        if expected:
            first = group[0]
            cases.append(
                BenchmarkCase(id=first.request_id, category=category, description=first.description, expected=expected)
            )
    if not cases:
        raise EvaluationError(f"feedback {source}: no chosen or good decisions about developers in the pool")
    return Benchmark(description=f"people's decisions from {source}", cases=cases)


def _names(decisions: Sequence[Decision], verdict: str) -> list[str]:
    return list(dict.fromkeys(decision.developer for decision in decisions if decision.verdict == verdict))
