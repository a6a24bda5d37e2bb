"""CPU per request of the domain call on each path: the fine-tuned recommender (a model answering in memory, at
once, with the pick the local ranking makes, so its grounding passes) against the local recommender alone, over
the public benchmark's descriptions on the bundled pool; and the same for a team.

What the fine-tuned path adds over the local one is reading the model's answer and grounding it: the description
itself should be read once per request on either path. CPU time (process time), so that other work on a shared
machine does not count; the median over ROUNDS of each path's total over all descriptions, the paths alternating.
Goal: the fine-tuned path within 10 % of the local path's CPU per request.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bench.harness import Figure
from bestdev import template
from bestdev.model.breaker import ModelStatus
from bestdev.pool import load_pool
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.recommend.grounding import named_keys
from bestdev.recommend.local import LocalRecommender

ROUNDS = 9
GOAL = 1.1
CASES = Path(__file__).resolve().parents[1] / "bestdev" / "data" / "benchmark_cases.json"


class _InstantModel:
    """A model answering from a table, in memory: no I/O, so only the recommender's own work is timed."""

    deployment = "bench-instant"

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    async def complete(self, prompt: str) -> str:
        return self.answers[prompt]

    async def warm_up(self) -> None:
        return None

    def status(self) -> ModelStatus:  # pragma: no cover - never asked here
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


def descriptions() -> list[str]:
    return [case["description"] for case in json.loads(CASES.read_text(encoding="utf-8"))["cases"]]


def _answers(local: LocalRecommender, texts: Sequence[str]) -> dict[str, str]:
    """What a well-trained model would say: the local pick with those of its skills the description names, or
    nobody. Descriptions naming none of the pick's skills (concepts only) are left out: the model cannot be
    grounded there, and the path would be the local one."""
    answers = {}
    for text in texts:
        ranked = local.outcome(text, 1).recommendations
        if ranked:
            named = set(named_keys(local.matcher.find(text, lenient=True), local.matcher))
            claims = [skill for skill in ranked[0].matched_skills if local.matcher.canonical(skill) in named]
            if not claims:
                continue
            body = template.completion(ranked[0].name, template.reason(claims))
        else:
            body = template.completion(None, template.no_match_reason())
        answers[template.prompt(local.pool.company, text)] = body
    return answers


def _cpu_per_call(call: Callable[[str], Awaitable[object]], texts: Sequence[str]) -> float:
    """Milliseconds of CPU per call over `texts`."""

    async def all_of_them() -> None:
        for text in texts:
            await call(text)

    loop = asyncio.new_event_loop()
    try:
        started = time.process_time()
        loop.run_until_complete(all_of_them())
        return (time.process_time() - started) * 1000 / len(texts)
    finally:
        loop.close()


def measure(rounds: int = ROUNDS) -> dict[str, float]:
    local = LocalRecommender(load_pool())
    answers = _answers(local, descriptions())
    texts = [text for text in descriptions() if template.prompt(local.pool.company, text) in answers]
    fine_tuned = FineTunedRecommender(_InstantModel(answers), local)  # type: ignore[arg-type]
    paths: dict[str, Callable[[str], Awaitable[object]]] = {
        "local recommend": lambda text: local.recommend(text, 3),
        "fine-tuned recommend": lambda text: fine_tuned.recommend(text, 3),
        "local team": lambda text: local.team(text, 3),
        "fine-tuned team": lambda text: fine_tuned.team(text, 3),
    }
    for call in paths.values():  # warm caches alike
        _cpu_per_call(call, texts)
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, call in paths.items():
            timings[name].append(_cpu_per_call(call, texts))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return {**medians, "descriptions": float(len(texts))}


def run() -> list[Figure]:
    cpu = measure()
    figures = [Figure(f"CPU per request: {name}", value, "ms") for name, value in cpu.items() if name != "descriptions"]
    figures.append(
        Figure(
            "CPU per request: fine-tuned / local",
            cpu["fine-tuned recommend"] / cpu["local recommend"],
            goal=GOAL,
            detail=f"median of {ROUNDS} rounds over {int(cpu['descriptions'])} grounded descriptions",
        )
    )
    figures.append(Figure("CPU per team: fine-tuned / local", cpu["fine-tuned team"] / cpu["local team"]))
    return figures
