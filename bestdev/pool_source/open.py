"""The source the settings name, and the pool as first read from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bestdev.pool import Pool, PoolError, parse_pool
from bestdev.pool_source.sources import FileSource, PoolSource
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


@dataclass(frozen=True)
class Opened:
    source: PoolSource
    tag: str
    pool: Pool


def pool_source(settings: Settings, token: TokenCredential | None = None) -> PoolSource:
    """The published pool when BESTDEV_POOL_URL is set (read with `token`, the process's credential; else one of
    its own), else the BESTDEV_POOL file (else the bundled sample)."""
    if settings.pool_url:
        from bestdev.pool_source.blob import BlobSource, credential

        return BlobSource(settings.pool_url, token or credential(settings))
    return FileSource(settings.pool_path)


def open_pool(source: PoolSource) -> Opened:
    """Read and validate the pool; PoolError when it cannot be read or is not valid."""
    fetched = source.fetch(None)
    if fetched is None:  # never: nothing is known yet
        raise PoolError(f"{source.description}: nothing to read")
    return Opened(source, fetched.tag, parse_pool(fetched.data, source.description))
