"""`bestdev finetune models|start|watch|results|status|keep-alive`: the fine-tuning lifecycle against Azure
OpenAI, and the care of what is deployed (deploy, deployments, promote, rollback, undeploy: commands/serving)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands
from bestdev.commands.extras import needs
from bestdev.errors import BestDevError, describe_validation
from bestdev.settings import SettingsError

if TYPE_CHECKING:
    from datetime import date

    from openai import AsyncOpenAI
    from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint
    from pydantic import BaseModel

    from bestdev.finetune.polling import Polling
    from bestdev.settings import Settings


FINETUNE_RUNS = Path("finetune-runs")
FINETUNE_HTTP_TIMEOUT = 120.0


class Interrupted(BestDevError):
    """Ctrl-C during a finetune step: what the service already started goes on there (exit 130, as for SIGINT)."""

    exit_code = 130


def register(commands: Subcommands) -> None:
    finetune = commands.add_parser("finetune", help="train, watch, analyse and deploy the fine-tuned model")
    steps = finetune.add_subparsers(required=True, metavar="STEP")

    models = steps.add_parser("models", help="the account's base models that can be fine-tuned, and their retirement")
    models.add_argument("--all", action="store_true", help="every model the account lists, not only fine-tunable ones")
    _add_data_plane_options(models)
    models.set_defaults(command=_finetune_models)

    start = steps.add_parser("start", help="check the base model, upload the files, create the job, print its id")
    start.add_argument("--train", type=Path, required=True, metavar="FILE", help="training JSONL")
    start.add_argument("--valid", type=Path, required=True, metavar="FILE", help="validation JSONL")
    start.add_argument("--model", required=True, metavar="BASE", help="base model, e.g. gpt-4.1-mini-2025-04-14")
    start.add_argument("--suffix", help="added to the fine-tuned model's name")
    start.add_argument("--epochs", type=int, help="n_epochs (default: the service's choice)")
    start.add_argument("--seed", type=int, help="seed, for a reproducible job")
    start.add_argument("--batch-size", type=int, help="batch_size (default: the service's choice)")
    start.add_argument(
        "--learning-rate-multiplier", type=float, help="learning_rate_multiplier (default: the service's choice)"
    )
    _add_data_plane_options(start)
    _add_polling_options(start, interval=5.0, timeout=30 * 60.0)
    start.set_defaults(command=_finetune_start)

    watch = steps.add_parser("watch", help="follow a job to its end; download results.csv; list checkpoints")
    watch.add_argument("job", metavar="JOB", help="the job id printed by `finetune start`")
    watch.add_argument("--out", type=Path, metavar="DIR", help=f"where results.csv goes (default {FINETUNE_RUNS}/JOB)")
    _add_data_plane_options(watch)
    _add_polling_options(watch, interval=30.0, timeout=24 * 3600.0)
    watch.set_defaults(command=_finetune_watch)

    results = steps.add_parser("results", help="summarise results.csv, plot the curves, list a job's checkpoints")
    results.add_argument(
        "csv", type=Path, nargs="?", metavar="RESULTS_CSV", help="the results.csv `finetune watch` downloaded"
    )
    results.add_argument("--plot", type=Path, metavar="PNG", help="draw the curves to this PNG")
    results.add_argument("--job", metavar="JOB", help="also list the job's checkpoints (step, losses, the best one)")
    _add_data_plane_options(results)
    results.set_defaults(command=_finetune_results)

    from bestdev.commands import serving

    serving.register(steps, add_account_options)

    status = steps.add_parser("status", help="the deployed model (BESTDEV_FINE_TUNED_MODEL) and when it retires")
    _add_data_plane_options(status)
    status.set_defaults(command=_finetune_status)

    keep_alive = steps.add_parser(
        "keep-alive",
        help="one small call to the deployment if it had none for BESTDEV_KEEP_ALIVE_DAYS (Azure deletes it after 15)",
    )
    _add_data_plane_options(keep_alive)
    keep_alive.set_defaults(command=_finetune_keep_alive)


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


def _finetune_models(args: argparse.Namespace) -> int:
    from bestdev.lifecycle.catalog import list_models, today

    async def run() -> int:
        async with _finetune_client(args) as client:
            catalog = await list_models(client)
        day = today()
        shown = catalog.models if args.all else catalog.fine_tunable(day)
        if not catalog.describes_capabilities:
            print("the service lists no capabilities or retirement dates; its models:", file=sys.stderr)
        print(f"{'model':<36} {'fine-tune':<10} {'fine-tuning retires':<20} {'inference retires':<18}")
        for model in sorted(shown, key=lambda model: model.id):
            fine_tune = "yes" if model.can_fine_tune(day) else "no"
            fine_tuning, inference = _day(model.fine_tuning_retires), _day(model.inference_retires)
            print(f"{model.id:<36} {fine_tune:<10} {fine_tuning:<20} {inference:<18}")
        if not shown:
            print("(none: try another region; README, Deploy to Azure)", file=sys.stderr)
        return 0

    return finetune_outcome(lambda: _run_training(run))


def _finetune_start(args: argparse.Namespace) -> int:
    from bestdev.finetune.jobs import JobRequest, start_job

    request = from_options(
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
            job = await start_job(client, request, polling(args))
        print(f"created {job.id} ({job.status}) fine-tuning {job.model}", file=sys.stderr)
        return job.id

    return finetune_outcome(lambda: print(_run_training(run)))


@needs("training", "finetune watch")
def _finetune_watch(args: argparse.Namespace) -> int:
    from bestdev.finetune.display import RichDisplay
    from bestdev.finetune.jobs import FineTuneError
    from bestdev.finetune.watch import WatchResult, watch

    out: Path = args.out or FINETUNE_RUNS / args.job

    async def run() -> WatchResult:
        async with _finetune_client(args) as client:
            with RichDisplay() as display:
                return await watch(client, args.job, out, polling(args), display)

    def report() -> int:
        result = _run_training(run)
        if not result.succeeded:
            raise FineTuneError(result.failure())
        print(f"fine-tuned model: {result.job.fine_tuned_model}")
        print(f"results: {result.results_path or 'the service attached no result file'}")
        _print_checkpoints(result.checkpoints, args.job)
        return 0

    return finetune_outcome(report)


@needs("training", "finetune results")
def _finetune_results(args: argparse.Namespace) -> int:
    from bestdev.finetune.results import read_results, summarise

    if args.csv is None and args.job is None:
        raise SettingsError("finetune results needs RESULTS_CSV, --job JOB, or both")

    def report() -> int:
        if args.csv is not None:
            rows = read_results(args.csv)
            for line in summarise(rows).lines():
                print(line)
            if args.plot:
                from bestdev.finetune.results_plot import plot_results

                print(f"plot: {plot_results(rows, args.plot)}")
        if args.job is not None:
            from bestdev.finetune.checkpoints import list_checkpoints

            async def fetch() -> list[FineTuningJobCheckpoint]:
                async with _finetune_client(args) as client:
                    return await list_checkpoints(client, args.job, polling(args, interval=2.0, timeout=120.0))

            _print_checkpoints(_run_training(fetch), args.job)
        return 0

    return finetune_outcome(report)


def add_account_options(parser: argparse.ArgumentParser) -> None:
    """Where the deployments live and which Function App calls one of them (defaults: the azd outputs)."""
    parser.add_argument("--subscription", help="default: AZURE_SUBSCRIPTION_ID")
    parser.add_argument("--resource-group", help="default: AZURE_RESOURCE_GROUP")
    parser.add_argument("--account", help="the Azure OpenAI account name; default: AZURE_OPENAI_ACCOUNT")
    parser.add_argument("--function-app", help="the Function App to switch; default: AZURE_FUNCTION_APP_NAME")
    parser.add_argument("--management-endpoint", help="default: AZURE_MANAGEMENT_ENDPOINT (management.azure.com)")
    parser.add_argument("--model-api", choices=["chat", "completions"], help="default: BESTDEV_MODEL_API (chat)")
    _add_data_plane_options(parser)
    _add_polling_options(parser, interval=15.0, timeout=3 * 3600.0)


def account_settings(args: argparse.Namespace) -> Settings:
    return _training_settings(
        AZURE_SUBSCRIPTION_ID=args.subscription,
        AZURE_RESOURCE_GROUP=args.resource_group,
        AZURE_OPENAI_ACCOUNT=args.account,
        AZURE_FUNCTION_APP_NAME=args.function_app,
        AZURE_MANAGEMENT_ENDPOINT=args.management_endpoint,
        AZURE_OPENAI_API_VERSION=args.api_version,
        BESTDEV_MODEL_API=args.model_api,
    )


def _finetune_status(args: argparse.Namespace) -> int:
    from bestdev.lifecycle.catalog import today
    from bestdev.lifecycle.retirement import WARN_DAYS, look_up

    settings = _training_settings(AZURE_OPENAI_API_VERSION=args.api_version)
    if not settings.fine_tuned_model:
        raise SettingsError("finetune status needs BESTDEV_FINE_TUNED_MODEL (the deployed fine-tuned model id)")
    model = settings.fine_tuned_model

    async def run() -> int:
        async with _finetune_client(args) as client:
            retirement = await look_up(client, model)
        print(f"deployed model: {model} (deployment {settings.azure_openai_deployment or 'unset'})")
        if retirement is None:
            print("inference retirement: the service lists no date")
            return 0
        day = today()
        print(f"inference retirement: {retirement.describe(day)}")
        if retirement.days_left(day) < WARN_DAYS:
            print(f"WARNING: under {WARN_DAYS} days left: fine-tune a current base model and redeploy", file=sys.stderr)
        return 0

    return finetune_outcome(lambda: _run_training(run))


def _finetune_keep_alive(args: argparse.Namespace) -> int:
    import logging

    from bestdev.lifecycle.keep_alive import run_keep_alive
    from bestdev.settings import load_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    overrides = {"AZURE_OPENAI_API_VERSION": args.api_version} if args.api_version else {}
    settings = load_settings(local_settings=LOCAL_SETTINGS, **overrides)
    if not settings.model_configured:
        raise SettingsError("finetune keep-alive needs AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT")

    async def run() -> int:
        if settings.keep_alive_days:
            from bestdev.lifecycle.keep_alive import monthly_cost

            print(monthly_cost(settings))
        outcome = await run_keep_alive(settings)
        print(outcome.reason)
        return 0

    return finetune_outcome(lambda: _run_training(run))


def checkpoint_model(args: argparse.Namespace) -> str:
    """The deployable model id of the job's chosen checkpoint."""
    from bestdev.finetune.checkpoints import choose, describe, list_checkpoints

    async def fetch() -> FineTuningJobCheckpoint:
        async with _finetune_client(args) as client:
            checkpoints = await list_checkpoints(client, args.job, polling(args))
        return choose(checkpoints, args.checkpoint, args.job)

    chosen = _run_in_outcome(fetch)
    print(f"checkpoint {describe(chosen)}")
    return chosen.fine_tuned_model_checkpoint


def _print_checkpoints(checkpoints: list[FineTuningJobCheckpoint], job: str) -> None:
    from bestdev.finetune.checkpoints import best, describe, loss_measure
    from bestdev.finetune.jobs import FineTuneError

    if not checkpoints:
        print("checkpoints: none listed")
        return
    print(f"checkpoints (each deployable; best by {loss_measure(checkpoints).replace('_', ' ')}):")
    try:
        chosen = best(checkpoints).step_number
    except FineTuneError:
        chosen = None
    for checkpoint in checkpoints:
        print(f"  {describe(checkpoint)}{'  <- best' if checkpoint.step_number == chosen else ''}")
    if chosen is not None:
        print(f"deploy the best: bestdev finetune deploy --job {job} --checkpoint best")


def from_options(kind: Callable[..., ModelT], *args: Any, **values: Any) -> ModelT:
    """A request model from command-line options; an invalid one is a SettingsError naming the option."""
    from pydantic import ValidationError

    try:
        return kind(*args, **values)
    except ValidationError as error:
        problem = describe_validation(error, name=_option, limit=1, verbatim=True)
        raise SettingsError(f"invalid {problem}") from None


def _option(location: tuple[int | str, ...]) -> str:
    return "--" + str(location[0]).replace("_", "-") if location else "options"


def _training_settings(**options: str | None) -> Settings:
    from bestdev.settings import load_training_settings

    return load_training_settings(
        local_settings=LOCAL_SETTINGS, **{name: value for name, value in options.items() if value is not None}
    )


@asynccontextmanager
async def _finetune_client(args: argparse.Namespace) -> AsyncIterator[AsyncOpenAI]:
    from bestdev.model.client import build_client

    settings = _training_settings(AZURE_OPENAI_API_VERSION=args.api_version)
    endpoint = settings.azure_openai_endpoint or settings.azure_openai_account_endpoint
    if not endpoint:
        raise SettingsError(
            "the finetune commands need AZURE_OPENAI_ENDPOINT or AZURE_OPENAI_ACCOUNT_ENDPOINT"
            " (and a key or an Azure login)"
        )
    from bestdev.model.credential import SharedCredential

    credential = SharedCredential(settings)  # the command's one Azure credential, closed when it ends
    try:
        client = build_client(settings.model_copy(update={"azure_openai_endpoint": endpoint}), credential)
        async with client:
            yield client.with_options(timeout=FINETUNE_HTTP_TIMEOUT)
    finally:
        credential.close()


def polling(args: argparse.Namespace, interval: float = 5.0, timeout: float = 300.0) -> Polling:
    """The command's polling options; commands without them get short defaults."""
    from bestdev.finetune.polling import Polling

    return Polling(
        interval=getattr(args, "interval", interval),
        timeout=getattr(args, "timeout", timeout),
        patience=getattr(args, "patience", 3),
    )


T = TypeVar("T")
ModelT = TypeVar("ModelT", bound="BaseModel")


def _run_training(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(make())


def _run_in_outcome(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs a preparatory step with the same error reporting as a whole step."""
    result: list[T] = []

    def step() -> int:
        result.append(_run_training(make))
        return 0

    finetune_outcome(step)
    return result[0]


def _day(value: date | None) -> str:
    return "-" if value is None else value.isoformat()


def finetune_outcome(step: Callable[[], int | None]) -> int:
    """Runs one finetune step. The service's, the files' and the Azure login's errors are BestDevErrors (exit 1)
    already; Ctrl-C says that what the service started goes on."""
    try:
        return step() or 0
    except KeyboardInterrupt:
        raise Interrupted("interrupted; a job or deployment already started goes on in the service") from None
