"""The `bestdev` command: serve the API and run the data, training and evaluation tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bestdev.pool import Pool, PoolError
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
    _add_dataset_commands(commands)
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


def _add_dataset_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from bestdev.training.defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION
    from bestdev.training.fine_tunable import FINE_TUNABLE

    dataset = commands.add_parser("dataset", help="build and check fine-tuning data").add_subparsers(
        required=True, metavar="ACTION"
    )
    build = dataset.add_parser("build", help="write training and validation JSONL (prompt/completion and chat)")
    build.add_argument(
        "--pool", type=Path, metavar="FILE", help="pool JSON (default: BESTDEV_POOL, else the bundled sample)"
    )
    build.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="directory for the JSONL files and dataset.json"
    )
    build.add_argument(
        "--examples",
        type=_positive_int,
        default=DEFAULT_EXAMPLES,
        metavar="N",
        help="project examples (default %(default)s)",
    )
    build.add_argument(
        "--validation-fraction",
        type=float,
        default=DEFAULT_VALIDATION_FRACTION,
        metavar="F",
        help="share held out for validation (default %(default)s)",
    )
    build.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help="same seed, same files (default %(default)s)"
    )
    build.set_defaults(command=_dataset_build)

    check = dataset.add_parser("check", help="check a JSONL file; non-zero exit on errors")
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--pool", type=Path, metavar="FILE", help="pool JSON (default: BESTDEV_POOL, else the bundled sample)"
    )
    check.add_argument("--fix", type=Path, metavar="OUT", help="write a mechanically repaired copy to OUT")
    check.add_argument(
        "--model",
        choices=sorted(FINE_TUNABLE),
        help="base model (default: gpt-4o-mini for chat, davinci-002 otherwise)",
    )
    check.add_argument(
        "--token-limit", type=_positive_int, metavar="N", help="tokens allowed per example (default: the model's)"
    )
    check.add_argument(
        "--epochs", type=_positive_int, metavar="N", help="epochs for the cost estimate (default: the service's choice)"
    )
    check.add_argument(
        "--price-per-million",
        type=_non_negative_float,
        metavar="USD",
        help="training price per 1M tokens (default: the model's list price, 3.00 for gpt-4o-mini)",
    )
    check.set_defaults(command=_dataset_check)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be a number of at least 0, not {text}")
    return value


def _dataset_pool(path: Path | None) -> tuple[Pool, str]:
    from bestdev.pool import SAMPLE_POOL, load_pool
    from bestdev.settings import load_settings

    path = path or load_settings(local_settings=LOCAL_SETTINGS).pool_path or SAMPLE_POOL
    return load_pool(path), str(path)


def _dataset_build(args: argparse.Namespace) -> int:
    from bestdev.training.dataset_build import DatasetError, build, write

    pool, pool_file = _dataset_pool(args.pool)
    try:
        dataset = build(pool, args.examples, args.validation_fraction, args.seed)
    except DatasetError as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 2
    for path in write(dataset, args.out, pool_file):
        print(f"wrote {path}")
    labels = dataset.labels()
    print(
        f"{len(dataset.training)} training and {len(dataset.validation)} validation examples (seed {args.seed}); "
        f"{len(labels)} of {len(pool.developers)} developers labelled, {min(labels.values(), default=0)} to "
        f"{max(labels.values(), default=0)} examples each"
    )
    if dataset.never_ranked_first:
        print(f"warning: the recommender never ranks first: {', '.join(dataset.never_ranked_first)}", file=sys.stderr)
    return 0


def _dataset_check(args: argparse.Namespace) -> int:
    from bestdev.training.check_report import render, render_fix
    from bestdev.training.dataset_check import check
    from bestdev.training.dataset_fix import fix
    from bestdev.training.tokens import TokenizerMissing

    pool, _ = _dataset_pool(args.pool)
    options = {"pool": pool, "model": args.model, "token_limit": args.token_limit}
    options |= {"price_per_million": args.price_per_million, "epochs": args.epochs}
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        print(f"bestdev: {args.file}: cannot be read ({error})", file=sys.stderr)
        return 2
    try:
        report = check(lines, str(args.file), **options)
        print(render(report))
        if args.fix is None:
            return 1 if report.errors else 0
        result = fix(lines)
        args.fix.write_text("".join(f"{line}\n" for line in result.lines), encoding="utf-8")
        print(f"\n{render_fix(result, str(args.fix))}\n")
        fixed = check(result.lines, str(args.fix), **options)
    except TokenizerMissing as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"bestdev: {args.fix}: cannot be written ({error.strerror or error})", file=sys.stderr)
        return 2
    print(render(fixed))
    return 1 if fixed.errors else 0
