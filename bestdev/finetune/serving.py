"""Blue/green deployments of fine-tuned models, owned by the CLI (azd's Bicep creates the account, never a model
deployment).

Each model gets a deployment of its own, named from the model, so a new model never goes into a deployment that
holds another (Azure refuses that: CannotChangeDeploymentModel). The Function App's settings name the deployment it
calls (AZURE_OPENAI_DEPLOYMENT, with AZURE_OPENAI_ENDPOINT and BESTDEV_FINE_TUNED_MODEL); `switch` changes them
through the management API, and only once the deployment has answered a call. Older deployments stay until
`finetune undeploy` deletes them, so `finetune rollback` can switch back at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from bestdev.finetune.deployment import (
    READY,
    Deployed,
    Deployer,
    DeploymentError,
    DeploymentRequest,
    ManagementFault,
)

WEB_API_VERSION = "2023-12-01"
METRICS_API_VERSION = "2023-10-01"
LAST_CALL_DAYS = 30
NAME_LIMIT = 64
_NOT_IN_NAME = re.compile(r"[^a-zA-Z0-9_.-]+")

Probe = Callable[[str], Awaitable[None]]  # one call to the named deployment; raises when it does not answer


class SwitchRefused(DeploymentError):
    """The app's setting was left as it was: the deployment did not answer, or is not one to switch to."""


def deployment_name(model: str) -> str:
    """The deployment's name, from the model's id: its own characters where Azure allows them, and a hash of the
    whole id when it is too long (a checkpoint's id is), so two models never share a name."""
    name = _NOT_IN_NAME.sub("-", model).strip("-.") or "model"
    if not name[0].isalnum() or len(name) < 2:
        name = f"ft-{name}"
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(model.encode()).hexdigest()[:12]
    return f"{name[: NAME_LIMIT - 13].rstrip('-.')}-{digest}"


class DeploymentInfo(BaseModel):
    """One deployment of the account, as the management API lists it."""

    model_config = ConfigDict(frozen=True)

    name: str
    model: str
    sku: str
    capacity: int | None = None
    state: str
    created: datetime | None = None

    @classmethod
    def from_arm(cls, body: dict[str, Any]) -> DeploymentInfo:
        properties = body.get("properties") or {}
        sku = body.get("sku") or {}
        created = (body.get("systemData") or {}).get("createdAt")
        return cls(
            name=str(body.get("name", "")),
            model=str((properties.get("model") or {}).get("name", "")),
            sku=str(sku.get("name", "")),
            capacity=sku.get("capacity"),
            state=str(properties.get("provisioningState", "")),
            created=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
        )

    def hourly_cost(self, price: float) -> float:
        """USD an hour while it exists: DeveloperTier has no hosting fee; the others cost `price`."""
        return 0.0 if self.sku == "DeveloperTier" else price


class Serving(BaseModel):
    """What the Function App calls now, from its app settings."""

    model_config = ConfigDict(frozen=True)

    deployment: str | None = None
    model: str | None = None
    endpoint: str | None = None


class Operator:
    """The deployments of one account and the Function App that calls one of them."""

    def __init__(self, deployer: Deployer, app_name: str | None) -> None:
        self.deployer = deployer
        self.target = deployer.target
        self.app_name = app_name

    @property
    def _site_url(self) -> str:
        if not self.app_name:
            raise DeploymentError("switching the app needs AZURE_FUNCTION_APP_NAME (an azd output)")
        return (
            f"{self.target.management_endpoint}/subscriptions/{self.target.subscription_id}"
            f"/resourceGroups/{self.target.resource_group}/providers/Microsoft.Web/sites/{self.app_name}"
        )

    async def deployments(self) -> list[DeploymentInfo]:
        body = (await self.deployer.call("GET", f"{self.target.account_url}/deployments")).json()
        return sorted(
            (DeploymentInfo.from_arm(item) for item in body.get("value", [])),
            key=lambda info: (info.created or datetime.min.replace(tzinfo=UTC), info.name),
        )

    async def find(self, name: str) -> DeploymentInfo | None:
        try:
            response = await self.deployer.call("GET", self.target.deployment_url(name))
        except ManagementFault as fault:
            if fault.status == 404:
                return None
            raise
        return DeploymentInfo.from_arm(response.json())

    async def deploy(self, model: str, sku: str, capacity: int, model_version: str = "1") -> Deployed:
        """The model's own deployment, created and ready; one that already holds this model is used as it is.
        A deployment of that name holding another model is never changed."""
        name = deployment_name(model)
        existing = await self.find(name)
        if existing is not None and existing.model != model:
            raise DeploymentError(
                f"deployment {name} holds {existing.model}, not {model}: a deployment's model never changes"
            )
        if existing is not None and existing.state == READY:
            return Deployed(deployment=name, model=model, state=existing.state, endpoint=await self.endpoint())
        request = DeploymentRequest(
            model=model, deployment=name, sku=sku, capacity=capacity, model_version=model_version
        )
        return await self.deployer.deploy(request)

    async def endpoint(self) -> str | None:
        endpoint = ((await self._account()).get("properties") or {}).get("endpoint")
        return str(endpoint) if endpoint else None

    async def location(self) -> str | None:
        location = (await self._account()).get("location")
        return str(location).replace(" ", "").lower() if location else None

    async def _account(self) -> dict[str, Any]:
        body: dict[str, Any] = (await self.deployer.call("GET", self.target.account_url)).json()
        return body

    async def delete(self, name: str) -> None:
        serving = await self.serving()
        if serving.deployment == name:
            raise SwitchRefused(f"{name} is the deployment the app calls: switch first (finetune rollback|promote)")
        if await self.find(name) is None:
            raise DeploymentError(f"no deployment {name} in {self.target.account}")
        await self.deployer.call("DELETE", self.target.deployment_url(name))

    async def app_settings(self) -> dict[str, str]:
        url = f"{self._site_url}/config/appsettings/list?api-version={WEB_API_VERSION}"
        body = (await self.deployer.call("POST", url)).json()
        return {str(name): str(value) for name, value in (body.get("properties") or {}).items()}

    async def serving(self) -> Serving:
        if not self.app_name:
            return Serving()
        settings = await self.app_settings()
        return Serving(
            deployment=settings.get("AZURE_OPENAI_DEPLOYMENT") or None,
            model=settings.get("BESTDEV_FINE_TUNED_MODEL") or None,
            endpoint=settings.get("AZURE_OPENAI_ENDPOINT") or None,
        )

    async def switch(self, info: DeploymentInfo, endpoint: str, probe: Probe) -> Serving:
        """Points the app at `info` once it answers one call; returns what the app served before."""
        if info.state != READY:
            raise SwitchRefused(f"{info.name} is {info.state}, not ready: the app keeps its deployment")
        try:
            await probe(info.name)
        except Exception as error:
            raise SwitchRefused(f"{info.name} did not answer ({error}): the app keeps its deployment") from error
        settings = await self.app_settings()
        before = Serving(
            deployment=settings.get("AZURE_OPENAI_DEPLOYMENT") or None,
            model=settings.get("BESTDEV_FINE_TUNED_MODEL") or None,
            endpoint=settings.get("AZURE_OPENAI_ENDPOINT") or None,
        )
        settings |= {
            "AZURE_OPENAI_ENDPOINT": endpoint,
            "AZURE_OPENAI_DEPLOYMENT": info.name,
            "BESTDEV_FINE_TUNED_MODEL": info.model,
        }
        url = f"{self._site_url}/config/appsettings?api-version={WEB_API_VERSION}"
        await self.deployer.call("PUT", url, {"properties": settings})
        return before

    async def previous(self) -> DeploymentInfo:
        """The deployment to roll back to: the newest ready one created before the one the app calls."""
        serving = await self.serving()
        listed = [info for info in await self.deployments() if info.state == READY]
        current = next((info for info in listed if info.name == serving.deployment), None)
        older = [info for info in listed if info.name != serving.deployment]
        if current is not None and current.created is not None:
            older = [info for info in older if info.created is None or info.created < current.created]
        if not older:
            raise SwitchRefused("no earlier ready deployment to roll back to")
        return older[-1]

    async def last_call(self, name: str, now: datetime | None = None) -> datetime | None:
        """The start of the last day (over LAST_CALL_DAYS) with a call to the deployment, from Azure Monitor."""
        end = now or datetime.now(UTC)
        start = end - timedelta(days=LAST_CALL_DAYS)
        span = f"{start:%Y-%m-%dT%H:%M:%SZ}/{end:%Y-%m-%dT%H:%M:%SZ}"
        query = (
            f"api-version={METRICS_API_VERSION}&metricnames=AzureOpenAIRequests&interval=P1D&aggregation=Total"
            f"&timespan={span}&$filter=ModelDeploymentName eq '{name}'"
        )
        url = f"{self.target.account_url}/providers/Microsoft.Insights/metrics?{query}"
        body = (await self.deployer.call("GET", url)).json()
        days = [
            point["timeStamp"]
            for metric in body.get("value", [])
            for series in metric.get("timeseries", [])
            for point in series.get("data", [])
            if point.get("total")
        ]
        return datetime.fromisoformat(max(days).replace("Z", "+00:00")) if days else None
