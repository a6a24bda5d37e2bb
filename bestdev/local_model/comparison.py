"""Local models side by side with the local recommender on a benchmark: each model is served on loopback and
asked through BestDev's own client, retries, breaker, grounding and fallback, exactly as the API asks it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bestdev.evaluation import OVERALL, Benchmark, Report, evaluate
from bestdev.local_model.generation import Generator
from bestdev.local_model.prompting import Prompting
from bestdev.local_model.server import ModelServer
from bestdev.local_model.serving import serving
from bestdev.pool import Pool
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings

# Generation on a shared CPU is slow next to Azure: one attempt may take this long, and nothing is retried.
ATTEMPT_SECONDS = 120.0
# The causes of a model answer that was not used (ModelFault.cause), by how far the answer got.
UNPARSED = {"unparsable", "empty"}
NOT_IN_POOL = {"not_in_pool"}
REFUSED = {"ungrounded"}


@dataclass(frozen=True)
class Contender:
    """A backend to compare: a served local model (with how it is prompted), or the local recommender."""

    name: str
    generator: Generator | None = None
    prompting: Prompting | None = None


@dataclass(frozen=True)
class Column:
    name: str
    report: Report
    model: bool  # False for the local recommender, which has no model answers to count
    parsed: int = 0
    in_pool: int = 0
    used: int = 0  # grounded and used: the answer's first pick is the model's
    own_right: int = 0  # used, and right at rank 1: the model's own accuracy@1 count
    failed: int = 0  # no answer at all (timeout, server failure)
    refusals: tuple[tuple[tuple[str | None, str], int], ...] = ()  # (cause, reason) and how often
    prompt_tokens: float | None = None  # per answer
    completion_tokens: float | None = None
    seconds_per_answer: float | None = None  # the model's own generation time per answer


def model_settings(url: str) -> Settings:
    """BestDev's model settings pointed at a local server, with room for CPU generation."""
    return Settings(
        azure_openai_endpoint=url,
        azure_openai_deployment="local",
        azure_openai_api_key="local",
        model_api="chat",
        model_provider="azure",
        model_timeout_seconds=ATTEMPT_SECONDS,
        request_deadline_seconds=ATTEMPT_SECONDS + 1,
        model_max_retries=0,
        breaker_failures=100,
        fallback="local",
    )


async def compare(contenders: Sequence[Contender], pool: Pool, benchmark: Benchmark, top_k: int) -> list[Column]:
    return [await _run(contender, pool, benchmark, top_k) for contender in contenders]


async def _run(contender: Contender, pool: Pool, benchmark: Benchmark, top_k: int) -> Column:
    from bestdev.model.client import build_client
    from bestdev.model.fine_tuned import FineTunedModel
    from bestdev.recommend.fine_tuned import FineTunedRecommender

    local = LocalRecommender(pool)
    if contender.generator is None or contender.prompting is None:
        return Column(contender.name, await evaluate(local, benchmark, top_k), model=False)
    generator = contender.generator
    before = replace(generator.usage)
    with serving(ModelServer(generator, contender.prompting).app) as url:
        settings = model_settings(url)
        recommender = FineTunedRecommender(FineTunedModel(build_client(settings), settings), local, settings.fallback)
        try:
            report = await evaluate(recommender, benchmark, top_k)
        finally:
            await recommender.aclose()
    answers = generator.usage.requests - before.requests
    causes = Counter(result.fallback_cause for result in report.results)
    failed = sum(count for cause, count in causes.items() if cause and cause not in UNPARSED | NOT_IN_POOL | REFUSED)
    parsed = len(report.results) - failed - sum(causes[cause] for cause in UNPARSED)
    refusals = Counter((result.fallback_cause, result.fallback_reason or "") for result in report.results)
    return Column(
        contender.name,
        report,
        model=True,
        parsed=parsed,
        in_pool=parsed - sum(causes[cause] for cause in NOT_IN_POOL),
        used=causes[None],
        own_right=sum(result.fallback_cause is None and result.rank == 1 for result in report.results),
        failed=failed,
        refusals=tuple((why, count) for why, count in refusals.most_common() if why[0] is not None),
        prompt_tokens=_per(generator.usage.prompt_tokens - before.prompt_tokens, answers),
        completion_tokens=_per(generator.usage.completion_tokens - before.completion_tokens, answers),
        seconds_per_answer=_per(generator.usage.seconds - before.seconds, answers),
    )


def _per(total: float, answers: int) -> float | None:
    return total / answers if answers else None


def format_columns(columns: Sequence[Column]) -> str:
    """One row per backend (overall), accuracy@1 per category, then why each model's answers were not used."""
    header = (
        f"{'backend':<34} {'cases':>5} {'acc@1':>6} {'MRR':>6} {'parsed':>7} {'in pool':>7} {'used':>6} {'own@1':>6} "
        f"{'failed':>6} {'tok in':>7} {'tok out':>7} {'gen s':>6} {'p50 ms':>8} {'p95 ms':>8}"
    )
    lines = [header, "-" * len(header)]
    for column in columns:
        overall = column.report.by_category[OVERALL]
        cases = overall.cases
        counts = (
            [_share(count, cases) for count in (column.parsed, column.in_pool, column.used, column.own_right)]
            if column.model
            else ["-"] * 4
        )
        lines.append(
            f"{column.name:<34} {cases:>5} {overall.accuracy_at_1:>6.1%} {overall.mrr:>6.3f} {counts[0]:>7} "
            f"{counts[1]:>7} {counts[2]:>6} {counts[3]:>6} {column.failed if column.model else '-':>6} "
            f"{_number(column.prompt_tokens):>7} {_number(column.completion_tokens):>7} "
            f"{_number(column.seconds_per_answer, 2):>6} {overall.latency_p50_ms:>8.1f} {overall.latency_p95_ms:>8.1f}"
        )
    categories = [category for category in columns[0].report.by_category if category != OVERALL]
    if categories:
        lines += ["", "accuracy@1 by category:", f"{'backend':<34} " + " ".join(f"{c[:12]:>12}" for c in categories)]
        for column in columns:
            values = [column.report.by_category[category].accuracy_at_1 for category in categories]
            lines.append(f"{column.name:<34} " + " ".join(f"{value:>12.1%}" for value in values))
    for column in columns:
        if column.refusals:
            lines += ["", f"{column.name}: answers not used (the local recommender answered instead), by reason:"]
            lines += _refusals(column.refusals)
    return "\n".join(lines)


def _refusals(refusals: Sequence[tuple[tuple[str | None, str], int]], examples: int = 3) -> list[str]:
    """Per cause, how often, and its most frequent reasons (grounding's name the developer and the skills)."""
    causes = Counter[str]()
    for (cause, _), count in refusals:
        causes[str(cause)] += count
    lines = []
    for cause, total in causes.most_common():
        reasons = [(reason, count) for (given, reason), count in refusals if str(given) == cause]
        lines.append(f"  {total:>4}  {cause}")
        lines += [f"        {count:>3}  {reason}" for reason, count in reasons[:examples]]
        if len(reasons) > examples:
            lines.append(f"        ... and {len(reasons) - examples} other reasons")
    return lines


def _share(count: int, cases: int) -> str:
    return f"{count / cases:.0%}" if cases else "-"


def _number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
