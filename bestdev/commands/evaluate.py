"""`bestdev eval`: the benchmark through the configured backend, as the API runs it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands


def register(commands: Subcommands) -> None:
    evaluate = commands.add_parser("eval", help="run the benchmark through the configured backend, as the API does")
    evaluate.add_argument("--cases", type=Path, help="benchmark cases JSON (default: the bundled public benchmark)")
    evaluate.add_argument("--pool", type=Path, help="pool JSON (default: BESTDEV_POOL, else the bundled sample)")
    evaluate.add_argument("--json", type=Path, dest="json_out", metavar="OUT", help="also write metrics and cases")
    evaluate.add_argument("--top-k", type=int, default=3, help="recommendations asked per case (default 3)")
    evaluate.add_argument(
        "--real-text", action="store_true", help="run the real-text benchmark (its bundled cases and pool)"
    )
    evaluate.add_argument(
        "--real-text-dir",
        type=Path,
        metavar="DIR",
        help="folder of the real-text texts (default: BESTDEV_REAL_TEXT_DIR, else ../shared/data/real-text)",
    )
    evaluate.set_defaults(command=_eval)


def _eval(args: argparse.Namespace) -> int:

    from bestdev.evaluation import EvaluationError, check_against_pool, evaluate, format_report, load_benchmark
    from bestdev.pool import load_pool
    from bestdev.real_text import is_real_text, load_resolved
    from bestdev.recommend.factory import build_recommender
    from bestdev.settings import load_settings

    settings = load_settings(local_settings=LOCAL_SETTINGS)
    try:
        if args.real_text or (args.cases and is_real_text(args.cases)):
            benchmark, named_pool = load_resolved(args.cases, args.real_text_dir or settings.real_text_dir)
        else:
            benchmark, named_pool = load_benchmark(args.cases), None
        pool = load_pool(args.pool or named_pool or settings.pool_path)
        check_against_pool(benchmark, pool)
    except EvaluationError as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 2

    async def run() -> str:
        recommender = build_recommender(settings, pool)
        try:
            report = await evaluate(recommender, benchmark, args.top_k)
        finally:
            await recommender.aclose()
        if args.json_out:
            args.json_out.write_text(report.to_json() + "\n", encoding="utf-8")
        backend = (
            f"{recommender.backend} ({settings.azure_openai_deployment})" if settings.model_configured else "local"
        )
        summary = f"{len(benchmark.cases)} cases, {len(pool.developers)} developers, backend {backend}"
        return f"{summary}\n{format_report(report)}"

    print(asyncio.run(run()))
    return 0
