"""The pool being served, replaced without a redeploy.

Each request takes one `Snapshot` (`LivePool.current`: the recommender built for one pool version, and when it was
loaded) and uses it to the end, so no request mixes two pools. Every BESTDEV_POOL_CHECK_SECONDS `watch` asks the
source whether the pool changed (an ETag, or a file's time and size); a changed pool is validated and its
recommender built beside the one serving, in a worker thread, then swapped in with one assignment. A pool that
does not validate never replaces the one serving: the problem is logged once and kept for /api/health until a
valid version arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bestdev.pool import Pool, PoolError, parse_pool
from bestdev.pool_source.sources import PoolSource
from bestdev.recommend.base import Recommender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    recommender: Recommender
    loaded_at: datetime

    @property
    def pool(self) -> Pool:
        return self.recommender.pool

    @property
    def version(self) -> str:
        return self.recommender.pool.version


class LivePool:
    def __init__(
        self,
        recommender: Recommender,
        source: PoolSource | None = None,
        tag: str | None = None,
        rebuild: Callable[[Pool], Recommender] | None = None,
    ) -> None:
        self.current = Snapshot(recommender, datetime.now(UTC))
        self.source = source
        self.problem: str | None = None  # why the newest version is not served; None when it is
        self._tag = tag
        self._rebuild = rebuild

    @property
    def description(self) -> str:
        return self.source.description if self.source is not None else "given at startup"

    def check(self) -> bool:
        """Blocking (for a worker thread): read the source if it changed; True when a new version was swapped in."""
        if self.source is None or self._rebuild is None:
            return False
        try:
            fetched = self.source.fetch(self._tag)
        except PoolError as error:  # unreadable for now: tried again at the next check
            self._refuse(str(error))
            return False
        if fetched is None:
            return False
        try:
            pool = parse_pool(fetched.data, self.source.description)
        except PoolError as error:
            self._tag = fetched.tag  # the same invalid bytes are not read again
            self._refuse(str(error))
            return False
        if pool.version != self.current.version:
            self.current = Snapshot(self._rebuild(pool), datetime.now(UTC))
            log.info(
                "pool version %s loaded from %s: %d developers", pool.version, self.description, len(pool.developers)
            )
        self._tag = fetched.tag
        self.problem = None
        return self.current.pool is pool

    def _refuse(self, problem: str) -> None:
        if problem != self.problem:
            log.error("pool not replaced, version %s keeps serving: %s", self.current.version, problem)
        self.problem = problem

    async def watch(self, every: float) -> None:
        """Check every `every` seconds until cancelled; a failed check is logged and the next one tried."""
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(self.check)
            except Exception:
                log.exception("checking the pool at %s failed", self.description)
