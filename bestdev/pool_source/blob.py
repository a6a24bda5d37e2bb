"""The published pool: a `pool` blob container in the app's storage account, reached with Entra ID (no keys).

`publish` uploads each pool as a version of its own, `versions/<UTC time>-<pool version>.json`, kept for good,
then copies it to `pool.json`, the one blob the app reads. The app asks for `pool.json`'s ETag and downloads it
only when that changed. Going back to an older version is publishing its file again.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bestdev.pool import Pool, PoolError, TrainedPool, parse_trained
from bestdev.pool_source.sources import Fetched
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.storage.blob import ContainerClient

CURRENT = "pool.json"
TRAINED = "trained.json"  # the pool the deployed model was trained on (`bestdev pool trained`)
VERSIONS = "versions/"
# A storage account that does not answer fails a check within seconds (the app keeps its pool meanwhile).
CLIENT_OPTIONS: dict[str, Any] = {"retry_total": 2, "connection_timeout": 5, "read_timeout": 20}


def credential(settings: Settings) -> TokenCredential:
    """DefaultAzureCredential: the app's managed identity in Azure, the developer's login for `pool publish`."""
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(managed_identity_client_id=settings.azure_client_id)


def container(url: str, token: TokenCredential, **options: Any) -> ContainerClient:
    from azure.storage.blob import ContainerClient

    return ContainerClient.from_container_url(url.rstrip("/"), credential=token, **{**CLIENT_OPTIONS, **options})


class BlobSource:
    """The published pool, `pool.json` in the container at `url`."""

    def __init__(self, url: str, token: TokenCredential, **options: Any) -> None:
        self.url = url.rstrip("/")
        self.description = f"{self.url}/{CURRENT}"
        self._token = token
        self._options = options
        self._client: ContainerClient | None = None

    def fetch(self, known: str | None) -> Fetched | None:
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        if self._client is None:
            self._client = container(self.url, self._token, **self._options)
        blob = self._client.get_blob_client(CURRENT)
        try:
            tag = blob.get_blob_properties().etag
            if tag == known:
                return None
            download = blob.download_blob(etag=tag, match_condition=_if_unchanged())
            return Fetched(download.readall(), tag)
        except ResourceNotFoundError:
            raise PoolError(f"no pool is published at {self.description}: run `bestdev pool publish`") from None
        except AzureError as error:
            raise PoolError(f"the published pool {self.description} cannot be read ({type(error).__name__})") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def publish(
    settings: Settings, url: str, data: bytes, pool: Pool, token: TokenCredential | None = None, **options: Any
) -> str:
    """Upload a validated pool as a new version, then make it the current one; returns the version's blob name."""
    from azure.core.exceptions import AzureError, ResourceExistsError, ResourceNotFoundError
    from azure.storage.blob import ContentSettings

    from bestdev.errors import ServiceError

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{VERSIONS}{stamp}-{pool.version}.json"
    content = ContentSettings(content_type="application/json")
    metadata = {"company": pool.company.encode("ascii", "replace").decode(), "version": pool.version}
    client = container(url, token or credential(settings), **options)
    try:
        try:
            client.upload_blob(name, data, overwrite=False, content_settings=content, metadata=metadata)
        except ResourceNotFoundError:  # no container yet (Bicep creates it in Azure; a new emulator has none)
            with contextlib.suppress(ResourceExistsError):
                client.create_container()
            client.upload_blob(name, data, overwrite=False, content_settings=content, metadata=metadata)
        client.upload_blob(CURRENT, data, overwrite=True, content_settings=content, metadata=metadata)
    except AzureError as error:
        raise ServiceError(f"the pool could not be published to {url} ({type(error).__name__}: {error})") from None
    finally:
        client.close()
    return name


def publish_trained(
    settings: Settings, url: str, trained: TrainedPool, token: TokenCredential | None = None, **options: Any
) -> None:
    """Record which pool the deployed model was trained on, beside the published pool."""
    from azure.core.exceptions import AzureError

    from bestdev.errors import ServiceError

    client = container(url, token or credential(settings), **options)
    try:
        client.upload_blob(TRAINED, trained.model_dump_json().encode(), overwrite=True)
    except AzureError as error:
        raise ServiceError(f"the trained-on pool could not be recorded at {url} ({type(error).__name__})") from None
    finally:
        client.close()


def read_trained(url: str, token: TokenCredential, **options: Any) -> TrainedPool | None:
    """The trained-on pool recorded beside the published pool; None when none is recorded."""
    from azure.core.exceptions import AzureError, ResourceNotFoundError

    with container(url, token, **options) as client:
        try:
            data = client.get_blob_client(TRAINED).download_blob().readall()
        except ResourceNotFoundError:
            return None
        except AzureError as error:
            raise PoolError(f"{url}/{TRAINED} cannot be read ({type(error).__name__})") from None
    return parse_trained(data, f"{url}/{TRAINED}")


def _if_unchanged() -> Any:
    from azure.core import MatchConditions

    return MatchConditions.IfNotModified
