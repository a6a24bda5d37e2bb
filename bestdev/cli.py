"""The `bestdev` command: serve the API and run the data, training and evaluation tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bestdev.pool import PoolError
from bestdev.settings import SettingsError

LOCAL_SETTINGS = Path("local.settings.json")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except (SettingsError, PoolError) as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bestdev", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API and the page (uvicorn, like the Functions host)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7071)
    serve.set_defaults(command=_serve)

    evaluate = commands.add_parser("eval", help="run the benchmark through the configured backend, as the API does")
    evaluate.add_argument("--cases", type=Path, help="benchmark cases JSON (default: the bundled public benchmark)")
    evaluate.add_argument("--pool", type=Path, help="pool JSON (default: BESTDEV_POOL, else the bundled sample)")
    evaluate.add_argument("--json", type=Path, dest="json_out", metavar="OUT", help="also write metrics and cases")
    evaluate.add_argument("--top-k", type=int, default=3, help="recommendations asked per case (default 3)")
    evaluate.set_defaults(command=_eval)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bestdev.api.app import create_app
    from bestdev.api.request_context import install_request_id_in_logs
    from bestdev.settings import load_settings

    settings = load_settings(local_settings=LOCAL_SETTINGS)
    install_request_id_in_logs()
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    backend = "the fine-tuned model" if settings.model_configured else "the embedded local recommender"
    print(f"BestDev on http://{args.host}:{args.port} answering from {backend}", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import asyncio

    from bestdev.evaluation import EvaluationError, check_against_pool, evaluate, format_report, load_benchmark
    from bestdev.pool import load_pool
    from bestdev.recommend.factory import build_recommender
    from bestdev.settings import load_settings

    settings = load_settings(local_settings=LOCAL_SETTINGS)
    try:
        benchmark = load_benchmark(args.cases)
        pool = load_pool(args.pool or settings.pool_path)
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
