"""The `bestdev` command: serve the API and run the data, training and evaluation tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bestdev.pool import Pool, PoolError
from bestdev.settings import SettingsError

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from pydantic import BaseModel

    from bestdev.settings import Settings
    from bestdev.training.polling import Polling

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
    _add_finetune_commands(commands)
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


FINETUNE_RUNS = Path("finetune-runs")
FINETUNE_HTTP_TIMEOUT = 120.0


def _add_finetune_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    finetune = commands.add_parser("finetune", help="train, watch, analyse and deploy the fine-tuned model")
    steps = finetune.add_subparsers(required=True, metavar="STEP")

    start = steps.add_parser("start", help="upload the files, create the job, print its id")
    start.add_argument("--train", type=Path, required=True, metavar="FILE", help="training JSONL")
    start.add_argument("--valid", type=Path, required=True, metavar="FILE", help="validation JSONL")
    start.add_argument("--model", required=True, metavar="BASE", help="base model, e.g. gpt-4o-mini-2024-07-18")
    start.add_argument("--suffix", help="added to the fine-tuned model's name")
    start.add_argument("--epochs", type=int, help="n_epochs (default: the service's choice)")
    start.add_argument("--seed", type=int, help="seed, for a reproducible job")
    start.add_argument("--batch-size", type=int)
    start.add_argument("--learning-rate-multiplier", type=float)
    _add_data_plane_options(start)
    _add_polling_options(start, interval=5.0, timeout=30 * 60.0)
    start.set_defaults(command=_finetune_start)

    watch = steps.add_parser("watch", help="follow a job to its end; download results.csv; list checkpoints")
    watch.add_argument("job", metavar="JOB", help="the job id printed by `finetune start`")
    watch.add_argument("--out", type=Path, metavar="DIR", help=f"where results.csv goes (default {FINETUNE_RUNS}/JOB)")
    _add_data_plane_options(watch)
    _add_polling_options(watch, interval=30.0, timeout=24 * 3600.0)
    watch.set_defaults(command=_finetune_watch)

    results = steps.add_parser("results", help="summarise results.csv and plot the loss and accuracy curves")
    results.add_argument("csv", type=Path, metavar="RESULTS_CSV")
    results.add_argument("--plot", type=Path, metavar="PNG", help="draw the curves to this PNG")
    results.set_defaults(command=_finetune_results)

    deploy = steps.add_parser("deploy", help="create or update the model deployment and wait until it is ready")
    deploy.add_argument("model", metavar="MODEL", help="the fine-tuned model name printed by `finetune watch`")
    deploy.add_argument("--deployment", required=True, metavar="NAME", help="the deployment name the API will call")
    deploy.add_argument("--capacity", type=int, default=1, help="capacity in thousands of tokens per minute")
    deploy.add_argument("--sku", default="Standard", help="Standard, GlobalStandard, Developer ... (default Standard)")
    deploy.add_argument("--model-version", default="1")
    deploy.add_argument("--model-api", choices=["chat", "completions"], default="chat", help="BESTDEV_MODEL_API")
    deploy.add_argument("--subscription", help="default: AZURE_SUBSCRIPTION_ID")
    deploy.add_argument("--resource-group", help="default: AZURE_RESOURCE_GROUP")
    deploy.add_argument("--account", help="the Azure OpenAI account name; default: AZURE_OPENAI_ACCOUNT")
    deploy.add_argument("--management-endpoint", help="default: AZURE_MANAGEMENT_ENDPOINT (management.azure.com)")
    _add_polling_options(deploy, interval=15.0, timeout=3 * 3600.0)
    deploy.set_defaults(command=_finetune_deploy)


def _add_data_plane_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-version", help="Azure data-plane API version (default: AZURE_OPENAI_API_VERSION)")


def _add_polling_options(parser: argparse.ArgumentParser, interval: float, timeout: float) -> None:
    parser.add_argument(
        "--interval", type=float, default=interval, help=f"seconds between polls (default {interval:g})"
    )
    parser.add_argument(
        "--timeout", type=float, default=timeout, help=f"give up after this many s (default {timeout:g})"
    )
    parser.add_argument("--patience", type=int, default=10, help="transient faults in a row to ride out (default 10)")


def _finetune_start(args: argparse.Namespace) -> int:
    from bestdev.training.finetune_jobs import JobRequest, start_job

    request = _from_options(
        JobRequest,
        train=args.train,
        valid=args.valid,
        model=args.model,
        suffix=args.suffix,
        epochs=args.epochs,
        seed=args.seed,
        batch_size=args.batch_size,
        learning_rate_multiplier=args.learning_rate_multiplier,
    )

    async def run() -> str:
        async with _finetune_client(args) as client:
            job = await start_job(client, request, _polling(args))
        print(f"created {job.id} ({job.status}) fine-tuning {job.model}", file=sys.stderr)
        return job.id

    return _finetune_outcome(lambda: print(_run_training(run)))


def _finetune_watch(args: argparse.Namespace) -> int:
    from bestdev.training.finetune_display import RichDisplay
    from bestdev.training.finetune_watch import WatchResult, watch

    out: Path = args.out or FINETUNE_RUNS / args.job

    async def run() -> WatchResult:
        async with _finetune_client(args) as client:
            with RichDisplay() as display:
                return await watch(client, args.job, out, _polling(args), display)

    def report() -> int:
        result = _run_training(run)
        if not result.succeeded:
            print(f"bestdev: {result.failure()}", file=sys.stderr)
            return 1
        print(f"fine-tuned model: {result.job.fine_tuned_model}")
        print(f"results: {result.results_path or 'the service attached no result file'}")
        print("checkpoints:" if result.checkpoints else "checkpoints: none listed")
        for checkpoint in result.checkpoints:
            metrics = checkpoint.metrics
            print(
                f"  step {checkpoint.step_number}: {checkpoint.fine_tuned_model_checkpoint}"
                f" (train loss {_number(metrics.train_loss)}, valid loss {_number(metrics.valid_loss)})"
            )
        return 0

    return _finetune_outcome(report)


def _finetune_results(args: argparse.Namespace) -> int:
    from bestdev.training.results import read_results, summarise

    def report() -> int:
        rows = read_results(args.csv)
        for line in summarise(rows).lines():
            print(line)
        if args.plot:
            from bestdev.training.results_plot import plot_results

            print(f"plot: {plot_results(rows, args.plot)}")
        return 0

    return _finetune_outcome(report)


def _finetune_deploy(args: argparse.Namespace) -> int:
    from bestdev.model.client import default_credential
    from bestdev.training.deployment import (
        DeploymentRequest,
        DeploymentTarget,
        credential_token_source,
        deploy_model,
    )

    options = {
        "AZURE_SUBSCRIPTION_ID": args.subscription,
        "AZURE_RESOURCE_GROUP": args.resource_group,
        "AZURE_OPENAI_ACCOUNT": args.account,
        "AZURE_MANAGEMENT_ENDPOINT": args.management_endpoint,
    }
    settings = _training_settings(**options)
    request = _from_options(
        DeploymentRequest,
        model=args.model,
        deployment=args.deployment,
        sku=args.sku,
        capacity=args.capacity,
        model_version=args.model_version,
    )

    def report() -> int:
        target = DeploymentTarget.from_settings(settings)
        token = credential_token_source(default_credential(settings), target.scope)
        print(f"deploying {request.model} as {request.deployment} ({request.sku} x{request.capacity}) ...")
        deployed = _run_training(
            lambda: deploy_model(target, request, token, _polling(args), settings.azure_openai_endpoint)
        )
        print(f"deployment {deployed.deployment} is ready ({deployed.state})")
        print("Set these for the API (Function App settings or local.settings.json):")
        for name, value in {**deployed.api_settings(), "BESTDEV_MODEL_API": args.model_api}.items():
            print(f"  {name}={value}")
        print("Azure deletes a fine-tuned deployment after 15 days without calls; the model itself stays.")
        return 0

    return _finetune_outcome(report)


def _from_options(kind: type[ModelT], **values: Any) -> ModelT:
    """A request model from command-line options; an invalid one is a SettingsError naming the option."""
    from pydantic import ValidationError

    try:
        return kind(**values)
    except ValidationError as error:
        problem = error.errors()[0]
        option = "--" + str(problem["loc"][0]).replace("_", "-") if problem["loc"] else "options"
        raise SettingsError(f"invalid {option}: {problem['msg']}") from None


def _training_settings(**options: str | None) -> Settings:
    from bestdev.settings import load_training_settings

    return load_training_settings(
        local_settings=LOCAL_SETTINGS, **{name: value for name, value in options.items() if value is not None}
    )


@asynccontextmanager
async def _finetune_client(args: argparse.Namespace) -> AsyncIterator[AsyncOpenAI]:
    from bestdev.model.client import build_client

    settings = _training_settings(AZURE_OPENAI_API_VERSION=args.api_version)
    if not settings.azure_openai_endpoint:
        raise SettingsError("the finetune commands need AZURE_OPENAI_ENDPOINT (and a key or an Azure login)")
    client = build_client(settings)
    async with client:
        yield client.with_options(timeout=FINETUNE_HTTP_TIMEOUT)


def _polling(args: argparse.Namespace) -> Polling:
    from bestdev.training.polling import Polling

    return Polling(interval=args.interval, timeout=args.timeout, patience=args.patience)


T = TypeVar("T")
ModelT = TypeVar("ModelT", bound="BaseModel")


def _run_training(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(make())


def _finetune_outcome(step: Callable[[], int | None]) -> int:
    """Runs one finetune step; the service's and the files' errors become a message and exit code 1."""
    from bestdev.model.client import CredentialError
    from bestdev.training.deployment import DeploymentError
    from bestdev.training.finetune_jobs import FineTuneError
    from bestdev.training.polling import PollingTimeout, TooManyFaults
    from bestdev.training.results import ResultsError

    try:
        return step() or 0
    except (FineTuneError, DeploymentError, ResultsError, PollingTimeout, TooManyFaults, CredentialError) as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bestdev: interrupted; a job or deployment already started goes on in the service", file=sys.stderr)
        return 130


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


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
