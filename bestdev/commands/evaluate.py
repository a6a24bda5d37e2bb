"""`bestdev eval`: the benchmark through the configured backend, as the API runs it; `--compare` runs the local
recommender and the configured fine-tuned model on the same cases, side by side."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands, not_applicable, positive_int
from bestdev.commands.extras import needs

if TYPE_CHECKING:
    from bestdev.evaluation import Benchmark
    from bestdev.pool import Pool


def register(commands: Subcommands) -> None:
    evaluate = commands.add_parser("eval", help="run the benchmark through the configured backend, as the API does")
    evaluate.add_argument(
        "--cases",
        type=Path,
        help="benchmark cases JSON, or exported feedback JSONL (people's picks as the expected answers); "
        "default: the bundled public benchmark",
    )
    evaluate.add_argument("--pool", type=Path, help="pool JSON (default: BESTDEV_POOL, else the bundled sample)")
    evaluate.add_argument("--json", type=Path, dest="json_out", metavar="OUT", help="also write metrics and cases")
    evaluate.add_argument("--top-k", type=int, default=3, help="recommendations asked per case (default 3)")
    evaluate.add_argument(
        "--real-text", action="store_true", help="run the real-text benchmark (its bundled cases and pool)"
    )
    evaluate.add_argument(
        "--briefs",
        action="store_true",
        help="run the briefs benchmark (open-source project briefs from the real-text folder; per split and source)",
    )
    evaluate.add_argument(
        "--real-text-dir",
        type=Path,
        metavar="DIR",
        help="folder of the real-text texts (default: BESTDEV_REAL_TEXT_DIR, else ../shared/data/real-text)",
    )
    evaluate.add_argument(
        "--compare",
        action="store_true",
        help="run the local recommender and the configured fine-tuned model on the same cases and compare them",
    )
    evaluate.add_argument(
        "--local-model",
        type=Path,
        metavar="RUN",
        help="with --compare: the local recommender, this locally fine-tuned model (a `local-model train` run or "
        "checkpoint) and the untuned base model prompted with the pool (few-shot), side by side",
    )
    evaluate.add_argument(
        "--sample", type=positive_int, metavar="N", help="run N cases spread evenly over the benchmark"
    )
    evaluate.set_defaults(command=_eval)


def _cases(path: Path | None, pool: Pool) -> Benchmark:
    from bestdev.evaluation import load_benchmark
    from bestdev.feedback.cases import cases_from_feedback
    from bestdev.feedback.export import looks_like_feedback, read_decisions

    if path is not None and looks_like_feedback(path):
        return cases_from_feedback(read_decisions(path), pool, str(path))
    return load_benchmark(path)


def _eval(args: argparse.Namespace) -> int:

    from bestdev.evaluation import check_against_pool, evaluate, format_comparison, format_report
    from bestdev.pool import load_pool
    from bestdev.real_text import BRIEFS_CASES, is_real_text, load_resolved
    from bestdev.recommend.factory import build_recommender
    from bestdev.recommend.local import LocalRecommender
    from bestdev.settings import SettingsError, load_settings

    if args.briefs:
        args.cases = args.cases or BRIEFS_CASES
    real_text = args.real_text or args.briefs or bool(args.cases and is_real_text(args.cases))
    if args.real_text_dir is not None and not real_text:
        raise not_applicable("--real-text-dir", "only the real-text benchmark reads it; add --real-text")
    settings = load_settings(local_settings=LOCAL_SETTINGS)
    if args.local_model is not None and not args.compare:
        raise not_applicable("--local-model", "it names a model for --compare to run; add --compare")
    if args.compare and not settings.model_configured and args.local_model is None:
        raise SettingsError(
            "eval --compare needs the fine-tuned model: set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT, "
            "or pass --local-model RUN"
        )
    if real_text:
        benchmark, named_pool = load_resolved(args.cases, args.real_text_dir or settings.real_text_dir)
        pool = load_pool(args.pool or named_pool or settings.pool_path)
    else:
        pool = load_pool(args.pool or settings.pool_path)
        benchmark = _cases(args.cases, pool)
    check_against_pool(benchmark, pool)
    if args.sample and args.sample < len(benchmark.cases):
        every = len(benchmark.cases) / args.sample
        benchmark = benchmark.model_copy(
            update={"cases": [benchmark.cases[int(index * every)] for index in range(args.sample)]}
        )
    summary = f"{len(benchmark.cases)} cases, {len(pool.developers)} developers"
    if args.local_model is not None:
        print(_compare_local_models(args, pool, benchmark, summary))
        return 0

    async def run() -> str:
        recommender = build_recommender(settings, pool)
        try:
            report = await evaluate(recommender, benchmark, args.top_k)
            local_report = await evaluate(LocalRecommender(pool), benchmark, args.top_k) if args.compare else None
        finally:
            await recommender.aclose()
        if local_report is not None:
            model = f"azure-openai ({settings.azure_openai_deployment})"
            if args.json_out:
                both = {"local": json.loads(local_report.to_json()), "azure-openai": json.loads(report.to_json())}
                args.json_out.write_text(json.dumps(both, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            return f"{summary}\n\n{format_comparison(('local', local_report), (model, report))}"
        if args.json_out:
            args.json_out.write_text(report.to_json() + "\n", encoding="utf-8")
        backend = (
            f"{recommender.backend} ({settings.azure_openai_deployment})" if settings.model_configured else "local"
        )
        return f"{summary}, backend {backend}\n{format_report(report)}"

    print(asyncio.run(run()))
    return 0


@needs("local-model", "eval --compare --local-model")
def _compare_local_models(args: argparse.Namespace, pool: Pool, benchmark: Benchmark, summary: str) -> str:
    """The local recommender, the fine-tuned local model and the base model with the pool in its prompt."""
    from bestdev.commands.local_model import DEFAULT_SHOTS, few_shot
    from bestdev.local_model.comparison import Contender, compare, format_columns
    from bestdev.local_model.generation import Generator
    from bestdev.local_model.prompting import AsTrained
    from bestdev.local_model.weights import BASE_NAME, load, require_packages

    require_packages()
    tuned = Generator(load(args.local_model))
    base = Generator(load(None))
    prompted = few_shot(pool, DEFAULT_SHOTS)
    contenders = [
        Contender("local recommender"),
        Contender(f"fine-tuned {BASE_NAME}", tuned, AsTrained()),
        Contender(f"{BASE_NAME}, few-shot", base, prompted),
    ]
    columns = asyncio.run(compare(contenders, pool, benchmark, args.top_k))
    if args.json_out:
        both = {column.name: json.loads(column.report.to_json()) for column in columns}
        args.json_out.write_text(json.dumps(both, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return f"{summary}; fine-tuned: {tuned.name}; few-shot: {prompted.description}\n\n{format_columns(columns)}"
