"""Deploying a fine-tuned model through the Azure management REST API and waiting until it is ready."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import httpx2
from pydantic import BaseModel, ConfigDict, Field

from bestdev.errors import ServiceError
from bestdev.finetune.polling import Polling, patiently, ticks
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

MANAGEMENT_API_VERSION = "2024-10-01"
READY = "Succeeded"
ENDED_BADLY = frozenset({"Failed", "Canceled", "Disabled", "Deleting"})
HTTP_TIMEOUT_SECONDS = 60.0

TokenSource = Callable[[], Awaitable[str]]


class DeploymentError(ServiceError, RuntimeError):
    """The deployment could not be created or did not become ready; the message is Azure's."""


class ManagementFault(DeploymentError):
    """Azure Resource Manager answered with an error status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{message} ({code}, HTTP {status})")
        self.status = status
        self.code = code


class DeploymentTarget(BaseModel):
    """The Azure OpenAI account the deployment belongs to, and where its management API answers."""

    model_config = ConfigDict(frozen=True)

    management_endpoint: str
    subscription_id: str = Field(min_length=1)
    resource_group: str = Field(min_length=1)
    account: str = Field(min_length=2, max_length=64, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")

    @classmethod
    def from_settings(cls, settings: Settings) -> DeploymentTarget:
        missing = [
            name
            for name, value in (
                ("AZURE_SUBSCRIPTION_ID (--subscription)", settings.azure_subscription_id),
                ("AZURE_RESOURCE_GROUP (--resource-group)", settings.azure_resource_group),
                ("AZURE_OPENAI_ACCOUNT (--account)", settings.azure_openai_account),
            )
            if not value
        ]
        if missing:
            raise DeploymentError("deploy needs " + ", ".join(missing))
        return cls(
            management_endpoint=settings.azure_management_endpoint.rstrip("/"),
            subscription_id=settings.azure_subscription_id or "",
            resource_group=settings.azure_resource_group or "",
            account=settings.azure_openai_account or "",
        )

    @property
    def scope(self) -> str:
        return f"{self.management_endpoint}/.default"

    @property
    def account_url(self) -> str:
        return (
            f"{self.management_endpoint}/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.CognitiveServices/accounts/{self.account}"
        )

    def deployment_url(self, name: str) -> str:
        return f"{self.account_url}/deployments/{name}"


class DeploymentRequest(BaseModel):
    """The model to serve, under which deployment name, with which SKU and capacity (thousands of TPM)."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(min_length=1)
    deployment: str = Field(min_length=2, max_length=64, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
    sku: str = "Standard"
    capacity: int = Field(1, ge=1)
    model_version: str = "1"
    model_format: str = "OpenAI"

    def body(self) -> dict[str, Any]:
        model = {"format": self.model_format, "name": self.model, "version": self.model_version}
        return {"sku": {"name": self.sku, "capacity": self.capacity}, "properties": {"model": model}}


class Deployed(BaseModel):
    deployment: str
    model: str
    state: str
    endpoint: str | None = None

    def api_settings(self) -> dict[str, str]:
        """What the API needs to answer from this deployment."""
        settings = {"AZURE_OPENAI_DEPLOYMENT": self.deployment}
        if self.endpoint:
            settings = {"AZURE_OPENAI_ENDPOINT": self.endpoint, **settings}
        return settings


def credential_token_source(credential: TokenCredential, scope: str) -> TokenSource:
    """A bearer token for the management API from a (synchronous) azure-identity credential."""

    async def token() -> str:
        try:
            return (await asyncio.to_thread(credential.get_token, scope)).token
        except Exception as error:
            raise DeploymentError(f"could not get a token for {scope} ({type(error).__name__}: {error})") from error

    return token


def is_transient(error: BaseException) -> bool:
    if isinstance(error, httpx2.TransportError):
        return True
    return isinstance(error, ManagementFault) and (error.status >= 500 or error.status == 429)


class Deployer:
    """Creates or updates one deployment and waits, within the polling bounds, until Azure says it is ready."""

    def __init__(self, target: DeploymentTarget, token: TokenSource, polling: Polling, http: httpx2.AsyncClient):
        self.target = target
        self.token = token
        self.polling = polling
        self.http = http
        self.reason = "Azure gave no reason"

    async def deploy(self, request: DeploymentRequest, endpoint: str | None = None) -> Deployed:
        url = self.target.deployment_url(request.deployment)
        created = await self.call("PUT", url, request.body())
        operation = created.headers.get("Azure-AsyncOperation")
        state = _state(created.json())
        async with aclosing(ticks(self.polling, f"deployment {request.deployment} to be ready")) as polls:
            async for _ in polls:
                if state == READY or state in ENDED_BADLY:
                    break
                state = await (self._operation_state(operation) if operation else self._resource_state(url))
        if state != READY:
            raise DeploymentError(f"deployment {request.deployment} ended {state}: {self.reason}")
        final = await self._resource_state(url)
        if final != READY:
            raise DeploymentError(f"deployment {request.deployment} reports {final} after its operation succeeded")
        return Deployed(
            deployment=request.deployment,
            model=request.model,
            state=final,
            endpoint=endpoint or await self._account_endpoint(),
        )

    async def _operation_state(self, url: str) -> str:
        body = (await self.call("GET", url)).json()
        status = str(body.get("status", "InProgress"))
        error = body.get("error") or {}
        if error.get("message"):
            self.reason = f"{error['message']} ({error.get('code', 'error')})"
        return {"InProgress": "Creating"}.get(status, status)

    async def _resource_state(self, url: str) -> str:
        return _state((await self.call("GET", url)).json())

    async def _account_endpoint(self) -> str | None:
        endpoint = ((await self.call("GET", self.target.account_url)).json().get("properties") or {}).get("endpoint")
        return str(endpoint) if endpoint else None

    async def call(self, method: str, url: str, body: dict[str, Any] | None = None) -> httpx2.Response:
        async def once() -> httpx2.Response:
            headers = {"Authorization": f"Bearer {await self.token()}"}
            params = None if "api-version=" in url else {"api-version": MANAGEMENT_API_VERSION}
            response = await self.http.request(method, url, params=params, json=body, headers=headers)
            if response.status_code >= 400:
                raise _fault(response)
            return response

        return await patiently(once, self.polling, is_transient)


def _state(body: dict[str, Any]) -> str:
    return str((body.get("properties") or {}).get("provisioningState", "Accepted"))


def _fault(response: httpx2.Response) -> ManagementFault:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = (body.get("error") if isinstance(body, dict) else None) or {}
    return ManagementFault(
        response.status_code, str(error.get("code", "error")), str(error.get("message", response.text[:200]))
    )


async def deploy_model(
    target: DeploymentTarget, request: DeploymentRequest, token: TokenSource, polling: Polling, endpoint: str | None
) -> Deployed:
    """One deployment, with its own HTTP client."""
    async with httpx2.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
        return await Deployer(target, token, polling, http).deploy(request, endpoint)
