"""Keeping the fine-tuned deployment alive: Azure deletes one that received no call for 15 days in a row. When
the account's request metrics show no call to the deployment for BESTDEV_KEEP_ALIVE_DAYS, one minimal call
(a one-word prompt, one token back) resets that clock. Unknown metrics count as idle: one small call a day costs
less than losing the deployment."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx2
import openai
from openai import AsyncOpenAI

from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

log = logging.getLogger(__name__)

METRICS_API_VERSION = "2023-10-01"
REQUESTS_METRIC = "AzureOpenAIRequests"
PING = "ping"
HTTP_TIMEOUT_SECONDS = 30.0
REDEPLOY = " (deleted? `finetune deploy MODEL` deploys the model again)"


HOURS_A_MONTH = 730


def monthly_cost(settings: Settings) -> str:
    """What keeping the deployment alive implies: its hosting fee runs every hour, called or not."""
    hourly = settings.hosting_price_per_hour
    return (
        f"keep-alive is on (BESTDEV_KEEP_ALIVE_DAYS={settings.keep_alive_days}): the deployment stays billed "
        f"${hourly:.2f} an hour, about ${hourly * HOURS_A_MONTH:,.0f} a month, even with no one calling it; "
        "with 0, Azure deletes it after 15 idle days and the fee stops"
    )


@dataclass(frozen=True)
class KeepAliveOutcome:
    called: bool
    reason: str


async def recent_requests(settings: Settings, credential: TokenCredential, days: int, deployment: str) -> float:
    """Calls to the deployment over the last `days` days, from the account's Azure Monitor metrics."""
    from bestdev.finetune.deployment import DeploymentTarget, credential_token_source

    target = DeploymentTarget.from_settings(settings)
    token = await credential_token_source(credential, target.scope)()
    end = datetime.now(UTC).replace(microsecond=0)
    start = end - timedelta(days=days)
    params = {
        "api-version": METRICS_API_VERSION,
        "metricnames": REQUESTS_METRIC,
        "timespan": f"{start.isoformat()}/{end.isoformat()}",
        "interval": "P1D",
        "aggregation": "Total",
        "$filter": f"ModelDeploymentName eq '{deployment}'",
    }
    url = f"{target.account_url}/providers/Microsoft.Insights/metrics"
    async with httpx2.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
        response = await http.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
    if response.status_code >= 400:
        raise RuntimeError(f"Azure Monitor answered {response.status_code}: {response.text[:200]}")
    body: dict[str, Any] = response.json()
    return sum(
        float(point.get("total") or 0)
        for metric in body.get("value", [])
        for series in metric.get("timeseries", [])
        for point in series.get("data", [])
    )


async def ping(client: AsyncOpenAI, settings: Settings) -> None:
    """The smallest call the deployment counts: a one-word prompt, at most one token back."""
    deployment = settings.azure_openai_deployment or ""
    if settings.model_api == "chat":
        await client.chat.completions.create(
            model=deployment, messages=[{"role": "user", "content": PING}], max_tokens=1
        )
    else:
        await client.completions.create(model=deployment, prompt=PING, max_tokens=1)


async def keep_alive(
    settings: Settings, client: AsyncOpenAI, credential: TokenCredential | None = None
) -> KeepAliveOutcome:
    """One small call if the deployment had none for BESTDEV_KEEP_ALIVE_DAYS; logs what it did."""
    days, deployment = settings.keep_alive_days, settings.azure_openai_deployment
    if days == 0 or not deployment or not settings.model_configured:
        return _done(False, "keep-alive is off (BESTDEV_KEEP_ALIVE_DAYS=0 or no deployment configured)")
    log.info("keep-alive: %s", monthly_cost(settings))
    try:
        from bestdev.model.client import default_credential

        calls = await recent_requests(settings, credential or default_credential(settings), days, deployment)
    except Exception as error:
        log.warning("keep-alive: could not read the deployment's request metrics (%s); calling it to be safe", error)
        calls = None
    if calls:
        return _done(False, f"{deployment} had {calls:g} calls in the last {days} days; no call needed")
    why = "its metrics could not be read" if calls is None else f"it had no call in {days} days"
    try:
        await ping(client, settings)
    except openai.APIStatusError as error:
        gone = REDEPLOY if error.status_code == 404 else ""
        log.error("keep-alive: %s refused the call: HTTP %d%s", deployment, error.status_code, gone)
        return KeepAliveOutcome(False, f"the call to {deployment} failed with HTTP {error.status_code}{gone}")
    except openai.OpenAIError as error:
        log.error("keep-alive: could not reach %s: %s", deployment, type(error).__name__)
        return KeepAliveOutcome(False, f"the call to {deployment} failed: {type(error).__name__}")
    return _done(True, f"called {deployment} once ({PING!r}, 1 token) because {why}; Azure deletes it after 15")


def _done(called: bool, reason: str) -> KeepAliveOutcome:
    log.info("keep-alive: %s", reason)
    return KeepAliveOutcome(called, reason)


async def run_keep_alive(settings: Settings, credential: TokenCredential | None = None) -> KeepAliveOutcome:
    """The timer's and the CLI's entry: builds its own client for the one call. The metrics and the call share
    `credential` (the process's; without one, a credential of this run's own, closed at its end)."""
    if not settings.model_configured:
        return _done(False, "keep-alive is off (no deployment configured)")
    from bestdev.model.client import build_client
    from bestdev.model.credential import SharedCredential

    own = SharedCredential(settings) if credential is None else None
    shared = credential or own
    try:
        async with build_client(settings, shared) as client:
            return await keep_alive(settings, client, shared)
    finally:
        if own is not None:
            own.close()
