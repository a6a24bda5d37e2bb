"""The benchmark runner: any recommender, the same call the API makes, metrics per case category and overall.

A case lists every developer a staffing manager would accept as the top pick; an empty list means nobody in the
pool fits, and the right answer is no recommendation at all.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bestdev.errors import BestDevError, describe_validation
from bestdev.pool import Pool, name_key
from bestdev.recommend.base import Outcome, Recommender

BENCHMARK_CASES = Path(str(files("bestdev") / "data" / "benchmark_cases.json"))
RECALL_DEPTH = 3
OVERALL = "overall"


Cases = TypeVar("Cases", bound=BaseModel)


class EvaluationError(BestDevError, ValueError):
    """The benchmark file cannot be used; the message names the file and the case."""


class BenchmarkCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: str
    description: str = Field(min_length=1)
    expected: list[str]


class Benchmark(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    pool: str | None = None
    cases: list[BenchmarkCase] = Field(min_length=1)


def load_benchmark(path: Path | None = None) -> Benchmark:
    return load_cases_file(Benchmark, path or BENCHMARK_CASES, EvaluationError)


def load_cases_file(model: type[Cases], path: Path, error: type[EvaluationError]) -> Cases:
    """A benchmark file read into `model`; `error` names the file and the first problems when it can't be."""
    try:
        return model.model_validate_json(path.read_bytes())
    except OSError as failure:
        raise error(f"benchmark {path}: cannot be read ({failure.strerror or failure})") from None
    except ValidationError as failure:
        problems = describe_validation(failure, limit=5, verbatim=True)
        raise error(f"benchmark {path}: {problems}") from None


def check_against_pool(benchmark: Benchmark, pool: Pool) -> None:
    """Every expected developer must exist in the pool, or the benchmark measures nothing."""
    for case in benchmark.cases:
        missing = [name for name in case.expected if pool.find(name) is None]
        if missing:
            raise EvaluationError(f"case {case.id} expects {missing}, who are not in the pool")


@dataclass(frozen=True)
class CaseResult:
    id: str
    category: str
    expected: tuple[str, ...]
    answered: tuple[str, ...]
    grounded: bool
    latency_ms: float
    backend: str = ""  # what answered: a fine-tuned recommender's case answered locally says "local"
    fallback_cause: str | None = None  # why the model's answer was not used (ModelFault.cause), if it was not
    fallback_reason: str | None = None

    @property
    def rank(self) -> int | None:
        """1-based rank of the first acceptable answer; for a no-match case, 1 when nothing was recommended."""
        if not self.expected:
            return None if self.answered else 1
        wanted = {name_key(name) for name in self.expected}
        return next((i for i, name in enumerate(self.answered, 1) if name_key(name) in wanted), None)


@dataclass(frozen=True)
class Metrics:
    cases: int
    accuracy_at_1: float
    recall_at_3: float
    mrr: float
    no_match_precision: float | None
    grounded_share: float
    latency_p50_ms: float
    latency_p95_ms: float


@dataclass(frozen=True)
class Report:
    by_category: dict[str, Metrics]
    results: tuple[CaseResult, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "metrics": {category: asdict(metrics) for category, metrics in self.by_category.items()},
                "cases": [{**asdict(result), "rank": result.rank} for result in self.results],
            },
            ensure_ascii=False,
            indent=2,
        )


def grounded(outcome: Outcome, pool: Pool) -> bool:
    """True when every recommended developer is in the pool and every matched skill is one the pool lists for them."""
    for recommendation in outcome.recommendations:
        developer = pool.find(recommendation.name)
        if developer is None:
            return False
        listed = {skill.casefold() for skill in developer.skills}
        listed |= {tech.casefold() for project in developer.projects for tech in project.technologies}
        if any(skill.casefold() not in listed for skill in recommendation.matched_skills):
            return False
    return True


async def evaluate(recommender: Recommender, benchmark: Benchmark, top_k: int = RECALL_DEPTH) -> Report:
    """Run every case through `recommender.recommend`, exactly as the API does, and score the answers."""
    results = []
    for case in benchmark.cases:
        started = time.perf_counter()
        outcome = await recommender.recommend(case.description, top_k)
        elapsed = (time.perf_counter() - started) * 1000
        results.append(
            CaseResult(
                id=case.id,
                category=case.category,
                expected=tuple(case.expected),
                answered=tuple(r.name for r in outcome.recommendations),
                grounded=grounded(outcome, recommender.pool),
                latency_ms=elapsed,
                backend=outcome.backend,
                fallback_cause=outcome.fallback_cause,
                fallback_reason=outcome.fallback_reason,
            )
        )
    categories = list(dict.fromkeys(result.category for result in results))
    by_category = {category: metrics([r for r in results if r.category == category]) for category in categories}
    splits = dict.fromkeys(category.split("/", 1)[0] for category in categories if "/" in category)
    for split in splits:  # "rules/cncf", "held-out/kotlin": each split's sources together too
        by_category[split] = metrics([r for r in results if r.category.startswith(f"{split}/")])
    by_category[OVERALL] = metrics(results)
    return Report(by_category=by_category, results=tuple(results))


def metrics(results: Sequence[CaseResult]) -> Metrics:
    count = len(results)
    empty = [result for result in results if not result.answered]
    latencies = sorted(result.latency_ms for result in results)
    return Metrics(
        cases=count,
        accuracy_at_1=sum(result.rank == 1 for result in results) / count,
        recall_at_3=sum(result.rank is not None and result.rank <= RECALL_DEPTH for result in results) / count,
        mrr=sum(1 / result.rank for result in results if result.rank is not None) / count,
        no_match_precision=sum(not result.expected for result in empty) / len(empty) if empty else None,
        grounded_share=sum(result.grounded for result in results) / count,
        latency_p50_ms=statistics.median(latencies),
        latency_p95_ms=latencies[min(count - 1, round(0.95 * (count - 1)))],
    )


def format_report(report: Report) -> str:
    width = max(12, *(len(category) for category in report.by_category))
    header = f"{'category':<{width}} {'cases':>5} {'acc@1':>7} {'recall@3':>8} {'MRR':>6} {'no-match P':>10} "
    header += f"{'grounded':>8} {'p50 ms':>8} {'p95 ms':>8}"
    lines = [header, "-" * len(header)]
    for category, m in report.by_category.items():
        precision = "n/a" if m.no_match_precision is None else f"{m.no_match_precision:.1%}"
        lines.append(
            f"{category:<{width}} {m.cases:>5} {m.accuracy_at_1:>7.1%} {m.recall_at_3:>8.1%} {m.mrr:>6.3f} "
            f"{precision:>10} {m.grounded_share:>8.1%} {m.latency_p50_ms:>8.3f} {m.latency_p95_ms:>8.3f}"
        )
    misses = [r for r in report.results if r.rank != 1]
    if misses:
        lines.append("")
        lines.append("not right at rank 1:")
        lines.extend(
            f"  {r.id}: answered {list(r.answered[:3]) or 'nobody'}, expected {r.expected or 'nobody'}" for r in misses
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    """Which of two backends did better on a category, by accuracy@1, then MRR, then recall@3."""

    category: str
    better: str  # a backend's name, or "tie"
    accuracy_at_1: float  # second minus first
    recall_at_3: float
    mrr: float


def compare(first: tuple[str, Report], second: tuple[str, Report]) -> list[Verdict]:
    """Per category both reports share (overall last), the difference second minus first and the better one.
    A backend that recommended anyone outside the pool's evidence (grounded share below 100%) never wins."""
    (first_name, first_report), (second_name, second_report) = first, second
    verdicts = []
    for category, a in first_report.by_category.items():
        b = second_report.by_category.get(category)
        if b is None:
            continue
        score_a = (a.grounded_share == 1.0, a.accuracy_at_1, a.mrr, a.recall_at_3)
        score_b = (b.grounded_share == 1.0, b.accuracy_at_1, b.mrr, b.recall_at_3)
        better = "tie" if score_a == score_b else first_name if score_a > score_b else second_name
        verdicts.append(
            Verdict(category, better, b.accuracy_at_1 - a.accuracy_at_1, b.recall_at_3 - a.recall_at_3, b.mrr - a.mrr)
        )
    return verdicts


def format_comparison(first: tuple[str, Report], second: tuple[str, Report]) -> str:
    """Both tables, then the difference per category and which backend is better."""
    lines = []
    for name, report in (first, second):
        answered = Counter(result.backend for result in report.results)
        by = ", ".join(f"{count} by {backend}" for backend, count in sorted(answered.items()))
        lines += [f"== {name} (answered {by})", format_report(report), ""]
    header = f"{'category':<12} {'Δ acc@1':>8} {'Δ recall@3':>10} {'Δ MRR':>7}  better"
    lines += [f"== difference ({second[0]} minus {first[0]})", header, "-" * len(header)]
    for verdict in compare(first, second):
        lines.append(
            f"{verdict.category:<12} {verdict.accuracy_at_1:>+8.1%} {verdict.recall_at_3:>+10.1%} "
            f"{verdict.mrr:>+7.3f}  {verdict.better}"
        )
    return "\n".join(lines)
