"""A pool's source: its bytes, and a tag that changes whenever they do, so an unchanged pool is not read again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bestdev.pool import SAMPLE_POOL, PoolError


@dataclass(frozen=True)
class Fetched:
    data: bytes
    tag: str  # an ETag, or a file's modification time and size


class PoolSource(Protocol):
    description: str  # where the pool is read from, for logs and /api/health

    def fetch(self, known: str | None) -> Fetched | None:
        """The pool's bytes, or None when its tag is still `known`. Raises PoolError when it cannot be read."""
        ...


class FileSource:
    """A pool file (BESTDEV_POOL, or the bundled sample)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path or SAMPLE_POOL
        self.description = str(self.path)

    def fetch(self, known: str | None) -> Fetched | None:
        try:
            status = self.path.stat()
            tag = f"{status.st_mtime_ns}:{status.st_size}"
            if tag == known:
                return None
            return Fetched(self.path.read_bytes(), tag)
        except OSError as error:
            raise PoolError(f"pool file {self.path}: cannot be read ({error.strerror or error})") from None
