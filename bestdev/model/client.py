"""Builds the one async OpenAI client from the settings: Azure (key or keyless) or any OpenAI-compatible server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from openai import AsyncAzureOpenAI, AsyncOpenAI, DefaultAsyncHttpxClient, Timeout

from bestdev.errors import ServiceError
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
CONNECT_TIMEOUT_SECONDS = 3.0


class CredentialError(ServiceError, RuntimeError):
    """No token could be had for the model (managed identity or developer login missing or refused)."""


def build_client(settings: Settings, credential: TokenCredential | None = None) -> AsyncOpenAI:
    """The async client for the configured model, with explicit timeouts, retries and a pool sized for load."""
    if not settings.azure_openai_endpoint:
        raise ValueError("AZURE_OPENAI_ENDPOINT is not set")
    import httpx2

    common: dict[str, Any] = {
        "timeout": Timeout(settings.model_timeout_seconds, connect=CONNECT_TIMEOUT_SECONDS),
        "max_retries": settings.model_max_retries,
        "http_client": DefaultAsyncHttpxClient(
            limits=httpx2.Limits(
                max_connections=settings.model_max_connections,
                max_keepalive_connections=settings.model_max_connections,
            ),
        ),
    }
    api_key = settings.azure_openai_api_key.get_secret_value() if settings.azure_openai_api_key else None
    if settings.model_provider == "openai-compatible":
        return AsyncOpenAI(base_url=settings.azure_openai_endpoint, api_key=api_key or "unused", **common)
    if api_key:
        return AsyncAzureOpenAI(
            azure_endpoint=settings.azure_openai_endpoint,
            api_version=settings.azure_openai_api_version,
            api_key=api_key,
            **common,
        )
    return AsyncAzureOpenAI(
        azure_endpoint=settings.azure_openai_endpoint,
        api_version=settings.azure_openai_api_version,
        azure_ad_token_provider=token_provider(credential or default_credential(settings)),
        **common,
    )


def default_credential(settings: Settings) -> TokenCredential:
    """DefaultAzureCredential: the app's managed identity in Azure, the developer's login locally."""
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(managed_identity_client_id=settings.azure_client_id)


def token_provider(credential: TokenCredential) -> Callable[[], Awaitable[str]]:
    """An async bearer token provider that never blocks the event loop (the credential is synchronous). It caches
    each token until it nears expiry; the first one is fetched by the warm-up before serving (see warm_up)."""
    from azure.identity import get_bearer_token_provider

    fetch = get_bearer_token_provider(credential, COGNITIVE_SERVICES_SCOPE)

    async def provide() -> str:
        try:
            return await asyncio.to_thread(fetch)
        except Exception as error:
            raise CredentialError(f"could not get a token for Azure OpenAI ({type(error).__name__})") from error

    return provide
