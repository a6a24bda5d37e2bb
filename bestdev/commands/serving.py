"""`bestdev finetune deploy|deployments|promote|rollback|undeploy`: blue/green deployments of fine-tuned models.

The CLI owns the model deployments (azd's Bicep creates the account and never a deployment): each model gets a
deployment named from it, the Function App's settings switch to it only once it answers, and the one before stays
for `rollback` until `undeploy` deletes it. Each command uses one Azure credential for the management API and the
calls to the model, and closes it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bestdev.errors import BestDevError
from bestdev.settings import SettingsError

if TYPE_CHECKING:
    from bestdev.finetune.serving import DeploymentInfo, Operator
    from bestdev.pool import Pool
    from bestdev.promotion import Suite
    from bestdev.recommend.base import Recommender
    from bestdev.settings import Settings

HOURS_A_MONTH = 730
REPORTS = Path("finetune-runs")
AZD_SETTINGS = ("BESTDEV_SERVING_DEPLOYMENT", "BESTDEV_SERVING_MODEL")


class PromotionRefused(BestDevError):
    """The candidate is worse than what serves: the app keeps its deployment (exit 1)."""

    exit_code = 1


def register(steps: Any, add_account_options: Callable[[argparse.ArgumentParser], None]) -> None:
    deploy = steps.add_parser(
        "deploy",
        help="deploy a model to a deployment of its own, then switch the app to it once it answers",
    )
    deploy.add_argument("model", nargs="?", metavar="MODEL", help="the fine-tuned model printed by `finetune watch`")
    deploy.add_argument("--job", metavar="JOB", help="deploy one of this job's checkpoints instead (with --checkpoint)")
    deploy.add_argument("--checkpoint", metavar="best|STEP", help="best: lowest validation loss; STEP: that step")
    deploy.add_argument("--no-switch", action="store_true", help="deploy only; the app keeps its deployment")
    _deployment_options(deploy)
    add_account_options(deploy)
    deploy.set_defaults(command=_deploy)

    listing = steps.add_parser("deployments", help="the account's deployments: model, created, last call, cost")
    add_account_options(listing)
    listing.set_defaults(command=_deployments)

    promote = steps.add_parser(
        "promote",
        help="deploy MODEL, compare it with the serving model and the local recommender, switch if not worse",
    )
    promote.add_argument("model", metavar="MODEL", help="the candidate fine-tuned model")
    promote.add_argument("--valid", type=Path, metavar="JSONL", help="the validation split it was trained with")
    promote.add_argument("--feedback", type=Path, metavar="JSONL", help="exported feedback (`feedback export`)")
    promote.add_argument("--pool", type=Path, help="pool JSON (default: BESTDEV_POOL, else the bundled sample)")
    promote.add_argument("--real-text-dir", type=Path, metavar="DIR", help="the real-text texts (default: shared)")
    promote.add_argument("--report", type=Path, metavar="FILE", help=f"report path (default {REPORTS}/promote-*.md)")
    promote.add_argument("--force", action="store_true", help="switch even when the candidate is worse")
    promote.add_argument(
        "--keep-candidate", action="store_true", help="keep a refused candidate's deployment (it bills hourly)"
    )
    _deployment_options(promote)
    add_account_options(promote)
    promote.set_defaults(command=_promote)

    rollback = steps.add_parser("rollback", help="switch the app back to the deployment before the serving one")
    rollback.add_argument("deployment", nargs="?", metavar="NAME", help="switch to this one instead")
    add_account_options(rollback)
    rollback.set_defaults(command=_rollback)

    undeploy = steps.add_parser("undeploy", help="delete a deployment the app does not call (its hourly fee stops)")
    undeploy.add_argument("deployment", metavar="NAME", help="the deployment (finetune deployments lists them)")
    add_account_options(undeploy)
    undeploy.set_defaults(command=_undeploy)


def _deployment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--capacity",
        type=int,
        help="thousands of tokens a minute (default: AZURE_OPENAI_DEPLOYMENT_CAPACITY, 50)",
    )
    parser.add_argument(
        "--sku",
        choices=["Standard", "GlobalStandard", "DeveloperTier"],
        help="deployment type (default: AZURE_OPENAI_DEPLOYMENT_SKU, Standard)",
    )
    parser.add_argument("--model-version", default="1", help="the fine-tuned model's version (default 1)")


@dataclass
class Context:
    settings: Settings
    operator: Operator
    credential: Any

    async def endpoint(self) -> str:
        found = await self.operator.endpoint()
        endpoint = found or self.settings.azure_openai_endpoint or self.settings.azure_openai_account_endpoint
        if not endpoint:
            raise SettingsError("the account has no endpoint: set AZURE_OPENAI_ACCOUNT_ENDPOINT")
        return endpoint

    def settings_for(self, endpoint: str, deployment: str) -> Settings:
        return self.settings.model_copy(
            update={"azure_openai_endpoint": endpoint, "azure_openai_deployment": deployment}
        )

    async def probe(self, endpoint: str, deployment: str) -> None:
        from bestdev.lifecycle.keep_alive import ping
        from bestdev.model.client import build_client

        settings = self.settings_for(endpoint, deployment)
        async with build_client(settings, self.credential) as client:
            await ping(client.with_options(max_retries=0), settings)

    async def switch(self, info: DeploymentInfo) -> None:
        endpoint = await self.endpoint()
        before = await self.operator.switch(info, endpoint, lambda name: self.probe(endpoint, name))
        was = before.deployment or "its local recommender"
        print(f"the app now calls {info.name} ({info.model}); before: {was}")
        _record_for_azd(info)


@asynccontextmanager
async def _context(args: argparse.Namespace, polling: Any) -> AsyncIterator[Context]:
    import httpx2

    from bestdev.commands.finetune import account_settings, from_options
    from bestdev.finetune.deployment import HTTP_TIMEOUT_SECONDS, Deployer, DeploymentTarget, credential_token_source
    from bestdev.finetune.serving import Operator
    from bestdev.model.credential import SharedCredential

    settings = account_settings(args)
    target = from_options(DeploymentTarget.from_settings, settings)
    credential = SharedCredential(settings)
    try:
        async with httpx2.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
            deployer = Deployer(target, credential_token_source(credential, target.scope), polling, http)
            yield Context(settings, Operator(deployer, settings.azure_function_app_name), credential)
    finally:
        credential.close()


def _run(args: argparse.Namespace, step: Callable[[Context], Any]) -> int:
    from bestdev.commands.finetune import finetune_outcome, polling

    async def run() -> int:
        async with _context(args, polling(args)) as context:
            result: int = await step(context)
            return result

    return finetune_outcome(lambda: asyncio.run(run()))


def _needs_app(settings: Settings) -> None:
    if not settings.azure_function_app_name:
        raise SettingsError(
            "switching the app needs AZURE_FUNCTION_APP_NAME (--function-app; an azd output), or --no-switch"
        )


def _sku_and_capacity(args: argparse.Namespace, settings: Settings) -> tuple[str, int]:
    capacity = settings.deployment_capacity if args.capacity is None else args.capacity
    if capacity < 1:
        raise SettingsError(f"invalid --capacity {capacity}: thousands of tokens a minute, at least 1")
    return args.sku or settings.deployment_sku, capacity


def _cost(info: DeploymentInfo, settings: Settings) -> str:
    hourly = info.hourly_cost(settings.hosting_price_per_hour)
    return f"${hourly:.2f}/h (${hourly * HOURS_A_MONTH:,.0f}/month while it exists)"


async def _deploy_model(context: Context, args: argparse.Namespace, model: str) -> DeploymentInfo:
    from bestdev.finetune.placement import check_placement

    sku, capacity = _sku_and_capacity(args, context.settings)
    location = await context.operator.location()
    check_placement(model, sku, location)
    print(f"deploying {model} ({sku} x{capacity}) ...")
    deployed = await context.operator.deploy(model, sku, capacity, args.model_version)
    info = await context.operator.find(deployed.deployment)
    if info is None:
        raise BestDevError(f"deployment {deployed.deployment} vanished after it was ready")
    print(f"deployment {info.name} is ready; it costs {_cost(info, context.settings)}")
    return info


def _deploy(args: argparse.Namespace) -> int:
    from bestdev.commands.finetune import account_settings, checkpoint_model

    if (args.model is None) == (args.job is None) or (args.job is None) != (args.checkpoint is None):
        raise SettingsError("finetune deploy needs MODEL, or --job JOB with --checkpoint best|STEP")
    model = args.model or checkpoint_model(args)
    _sku_and_capacity(args, account_settings(args))

    async def step(context: Context) -> int:
        if not args.no_switch:
            _needs_app(context.settings)
        info = await _deploy_model(context, args, model)
        if args.no_switch:
            print(f"the app keeps its deployment; switch with: bestdev finetune promote {model}")
            return 0
        await context.switch(info)
        print("the deployment before it stays (finetune rollback); delete old ones with finetune undeploy NAME")
        return 0

    return _run(args, step)


def _deployments(args: argparse.Namespace) -> int:
    from bestdev.finetune.deployment import DeploymentError

    async def step(context: Context) -> int:
        serving = await context.operator.serving()
        listed = await context.operator.deployments()
        print(f"{'deployment':<44} {'model':<44} {'created':<17} {'last call':<11} cost")
        total = 0.0
        for info in listed:
            try:
                last = await context.operator.last_call(info.name)
                last_day = f"{last:%Y-%m-%d}" if last else "none in 30d"
            except DeploymentError:  # reading metrics needs Monitoring Reader on the account
                last_day = "unknown"
            created = f"{info.created:%Y-%m-%d %H:%M}" if info.created else "-"
            mark = "  <- serving" if info.name == serving.deployment else ""
            hourly = info.hourly_cost(context.settings.hosting_price_per_hour)
            total += hourly
            print(f"{info.name:<44} {info.model:<44} {created:<17} {last_day:<11} ${hourly:.2f}/h{mark}")
        if not listed:
            print("(no deployments: nothing is billed by the hour)")
        else:
            print(f"all deployments: ${total:.2f}/h, about ${total * HOURS_A_MONTH:,.0f} a month")
        return 0

    return _run(args, step)


def _rollback(args: argparse.Namespace) -> int:
    from bestdev.finetune.serving import SwitchRefused

    async def step(context: Context) -> int:
        if args.deployment:
            info = await context.operator.find(args.deployment)
            if info is None:
                raise SwitchRefused(f"no deployment {args.deployment} to roll back to")
        else:
            info = await context.operator.previous()
        await context.switch(info)
        return 0

    return _run(args, step)


def _undeploy(args: argparse.Namespace) -> int:
    async def step(context: Context) -> int:
        await context.operator.delete(args.deployment)
        print(f"deleted {args.deployment}: its hourly fee stops; the model itself stays in the account")
        return 0

    return _run(args, step)


def _promote(args: argparse.Namespace) -> int:
    from bestdev.pool import load_pool

    suites_pool = load_pool(args.pool or _settings_pool())

    async def step(context: Context) -> int:
        from bestdev.promotion import CANDIDATE, LOCAL, SERVING, decide

        _needs_app(context.settings)
        serving = await context.operator.serving()
        info = await _deploy_model(context, args, args.model)
        if serving.deployment == info.name:
            print(f"{info.name} already serves {args.model}: nothing to promote")
            return 0
        endpoint = await context.endpoint()
        suites = _suites(args, suites_pool, context.settings)
        backends = [CANDIDATE, *([SERVING] if serving.deployment else []), LOCAL]
        names = {CANDIDATE: info.name, SERVING: serving.deployment or ""}

        def recommender_for(backend: str, pool: Pool) -> Recommender:
            from bestdev.recommend.factory import build_recommender
            from bestdev.recommend.local import LocalRecommender

            if backend == LOCAL:
                return LocalRecommender(pool)
            settings = context.settings_for(serving.endpoint or endpoint, names[backend])
            if backend == CANDIDATE:
                settings = context.settings_for(endpoint, names[backend])
            return build_recommender(settings, pool, context.credential)

        decision = await decide(suites, recommender_for, backends, progress=lambda line: print(line, file=sys.stderr))
        report = args.report or REPORTS / f"promote-{info.name}.md"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(decision.report(), encoding="utf-8")
        report.with_suffix(".json").write_text(decision.to_json() + "\n", encoding="utf-8")
        print(f"report: {report}")
        if not decision.not_worse and not args.force:
            if not args.keep_candidate:
                await context.operator.delete(info.name)
                print(f"deleted the candidate's deployment {info.name} (its hourly fee stops)")
            raise PromotionRefused(
                f"{args.model} is worse than the {decision.baseline} one on {', '.join(decision.worse_on)}: "
                f"the app keeps {serving.deployment or 'its local recommender'} (see {report}; --force overrides)"
            )
        await context.switch(info)
        return 0

    return _run(args, step)


def _settings_pool() -> Path | None:
    from bestdev.commands.common import LOCAL_SETTINGS
    from bestdev.settings import load_training_settings

    return load_training_settings(local_settings=LOCAL_SETTINGS).pool_path


def _suites(args: argparse.Namespace, pool: Pool, settings: Settings) -> list[Suite]:
    from bestdev.evaluation import check_against_pool, load_benchmark
    from bestdev.pool import load_pool
    from bestdev.promotion import Suite, cases_from_split

    suites = [Suite("public benchmark", load_benchmark(), pool)]
    try:
        from bestdev.real_text import load_resolved

        real, named_pool = load_resolved(None, args.real_text_dir or settings.real_text_dir)
        suites.append(Suite("real-text benchmark", real, load_pool(named_pool) if named_pool else pool))
    except BestDevError as error:
        print(f"real-text benchmark skipped: {error}", file=sys.stderr)
    if args.valid:
        suites.append(Suite("validation split", cases_from_split(args.valid), pool))
    if args.feedback:
        from bestdev.feedback.cases import cases_from_feedback
        from bestdev.feedback.export import read_decisions

        suites.append(
            Suite("feedback", cases_from_feedback(read_decisions(args.feedback), pool, str(args.feedback)), pool)
        )
    for suite in suites:
        check_against_pool(suite.benchmark, suite.pool)
    return suites


def _record_for_azd(info: DeploymentInfo) -> None:
    """The azd environment keeps what serves, so the next `azd provision` sets the app's settings to it again
    (main.parameters.json reads BESTDEV_SERVING_DEPLOYMENT and BESTDEV_SERVING_MODEL)."""
    import shutil
    import subprocess

    values = {"BESTDEV_SERVING_DEPLOYMENT": info.name, "BESTDEV_SERVING_MODEL": info.model}
    azd = shutil.which("azd")
    if azd is None or not Path(".azure").is_dir():
        print("not in an azd project: before the next `azd provision`, run")
        for name, value in values.items():
            print(f"  azd env set {name} {value}")
        return
    try:
        for name, value in values.items():
            subprocess.run([azd, "env", "set", name, value], check=True, timeout=60, capture_output=True)
    except (OSError, subprocess.SubprocessError) as error:
        print(f"azd env set failed ({error}): before the next `azd provision`, run")
        for name, value in values.items():
            print(f"  azd env set {name} {value}")
        return
    print(f"azd environment: {', '.join(f'{name}={value}' for name, value in values.items())}")
