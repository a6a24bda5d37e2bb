"""The promotion gate: a candidate model is compared with what the app serves and with the local recommender on
the same suites of cases, and it may serve only when it is not worse than what serves now.

Suites: the bundled public benchmark always; the real-text benchmark when its texts are there; the validation
split the model was trained with, and the feedback people gave (exported JSONL), when given. "Not worse": on no
suite does the comparison (evaluation.compare, overall: grounded first, then accuracy@1, MRR, recall@3) call the
baseline better. The baseline is the serving model, or the local recommender when no model serves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bestdev import template
from bestdev.errors import BestDevError
from bestdev.evaluation import (
    OVERALL,
    Benchmark,
    BenchmarkCase,
    CaseResult,
    Report,
    compare,
    evaluate,
    format_comparison,
    metrics,
)
from bestdev.pool import Pool
from bestdev.recommend.base import Recommender

LOCAL = "local"
CANDIDATE = "candidate"
SERVING = "serving"
FELL_BACK = "(the model failed; answered locally)"


class PromotionError(BestDevError, ValueError):
    """A suite could not be read; the message names the file and the line."""


@dataclass(frozen=True)
class Suite:
    name: str
    benchmark: Benchmark
    pool: Pool


@dataclass
class SuiteResult:
    suite: str
    reports: dict[str, Report]  # backend name -> report

    def verdict(self, baseline: str) -> str:
        """The overall verdict of candidate against the baseline: the better one's name, or "tie"."""
        verdicts = compare((baseline, self.reports[baseline]), (CANDIDATE, self.reports[CANDIDATE]))
        return next(verdict.better for verdict in verdicts if verdict.category == OVERALL)


@dataclass
class Decision:
    baseline: str
    results: list[SuiteResult] = field(default_factory=list)

    @property
    def worse_on(self) -> list[str]:
        return [result.suite for result in self.results if result.verdict(self.baseline) == self.baseline]

    @property
    def not_worse(self) -> bool:
        return not self.worse_on

    def report(self) -> str:
        """The whole comparison, suite by suite, and the decision."""
        lines = [f"# Promotion: candidate against {self.baseline} (and the local recommender)", ""]
        for result in self.results:
            lines += [f"## {result.suite}", ""]
            others = [name for name in result.reports if name != CANDIDATE]
            for other in others:
                lines += [
                    "```",
                    format_comparison((other, result.reports[other]), (CANDIDATE, result.reports[CANDIDATE])),
                    "```",
                    "",
                ]
            lines += [f"verdict against {self.baseline}: {result.verdict(self.baseline)}", ""]
        outcome = "not worse: it may serve" if self.not_worse else f"worse on {', '.join(self.worse_on)}"
        lines.append(f"decision: the candidate is {outcome}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {
                "baseline": self.baseline,
                "not_worse": self.not_worse,
                "worse_on": self.worse_on,
                "suites": {
                    result.suite: {
                        name: json.loads(report.to_json())["metrics"] for name, report in result.reports.items()
                    }
                    for result in self.results
                },
            },
            ensure_ascii=False,
            indent=2,
        )


async def decide(
    suites: Sequence[Suite],
    recommender_for: Callable[[str, Pool], Recommender],
    backends: Sequence[str],
    top_k: int = 3,
    progress: Callable[[str], None] = lambda line: None,
) -> Decision:
    """Runs every suite through each backend ("candidate", "serving" if one serves, "local") and decides."""
    baseline = SERVING if SERVING in backends else LOCAL
    decision = Decision(baseline)
    for suite in suites:
        reports: dict[str, Report] = {}
        for backend in backends:
            progress(f"{suite.name}: {len(suite.benchmark.cases)} cases through {backend}")
            recommender = recommender_for(backend, suite.pool)
            try:
                report = await evaluate(recommender, suite.benchmark, top_k)
            finally:
                await recommender.aclose()
            reports[backend] = report if backend == LOCAL else model_only(report)
        decision.results.append(SuiteResult(suite.name, reports))
    return decision


def model_only(report: Report) -> Report:
    """The model's own answers: a case its recommender answered with the local fallback counts as a miss (the
    model failed it), so a model that fails is never scored as well as the recommender it falls back to."""
    results = tuple(
        result
        if result.backend != LOCAL
        else CaseResult(
            id=result.id,
            category=result.category,
            expected=result.expected,
            answered=(FELL_BACK,),
            grounded=result.grounded,
            latency_ms=result.latency_ms,
            backend=result.backend,
        )
        for result in report.results
    )
    categories = list(dict.fromkeys(result.category for result in results))
    by_category = {category: metrics([r for r in results if r.category == category]) for category in categories}
    by_category[OVERALL] = metrics(results)
    return Report(by_category=by_category, results=results)


def cases_from_split(path: Path) -> Benchmark:
    """A training-data split (chat JSONL, as `bestdev dataset build` writes it) as benchmark cases: each
    example's user prompt gives the description, its assistant answer the expected pick (none for no match)."""
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PromotionError(f"{path}: cannot be read ({error.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            messages = json.loads(line)["messages"]
            prompt = next(m["content"] for m in messages if m["role"] == "user")
            answer = next(m["content"] for m in messages if m["role"] == "assistant")
        except (ValueError, KeyError, TypeError, StopIteration):
            raise PromotionError(f"{path}:{number}: not a chat example with a user and an assistant message") from None
        description = _description(prompt)
        parsed = template.parse(answer)
        if description is None or parsed is None:
            continue  # an example of another kind (the pool's context): not a recommendation case
        expected = [parsed.name] if parsed.name else []
        cases.append(
            BenchmarkCase(id=f"valid-{number}", category="validation", description=description, expected=expected)
        )
    if not cases:
        raise PromotionError(f"{path}: no recommendation examples")
    return Benchmark(description=f"validation split {path.name}", cases=cases)


def _description(prompt: str) -> str | None:
    question, marker, rest = prompt.partition("for this project? ")
    if not marker or not question.startswith("Who is the most fitting candidate"):
        return None
    return rest.removesuffix(template.SEPARATOR).strip() or None
