"""`bestdev finetune start|watch|results|deploy`: the fine-tuning lifecycle against Azure OpenAI."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands
from bestdev.settings import SettingsError

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from pydantic import BaseModel

    from bestdev.settings import Settings
    from bestdev.training.polling import Polling


FINETUNE_RUNS = Path("finetune-runs")
FINETUNE_HTTP_TIMEOUT = 120.0


def register(commands: Subcommands) -> None:
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
