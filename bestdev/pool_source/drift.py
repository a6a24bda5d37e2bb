"""The deployed model against the live pool: how many developers it never saw and how many changed skills since
it was trained, on /api/health; a warning in the logs at most once a day while more than BESTDEV_POOL_DRIFT_SHARE
of the pool is new to it (time to retrain)."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from bestdev.pool import Drift, Pool, PoolError, TrainedPool, drift, parse_trained
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

log = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 24 * 3600.0


def load_trained(settings: Settings, token: TokenCredential | None = None) -> TrainedPool | None:
    """The pool the deployed model was trained on (BESTDEV_TRAINED_POOL, else the pool container's record); None
    without a fine-tuned model or a record. Blocking: for startup's worker thread."""
    if not settings.model_configured:
        return None
    try:
        if settings.trained_pool is not None:
            path = settings.trained_pool
            try:
                return parse_trained(path.read_bytes(), str(path))
            except OSError as error:
                raise PoolError(f"{path}: cannot be read ({error.strerror or error})") from None
        if settings.pool_url:
            from bestdev.pool_source.blob import credential, read_trained

            return read_trained(settings.pool_url, token or credential(settings))
    except PoolError as error:
        log.warning("the pool the model was trained on is unknown, so drift is not shown: %s", error)
    return None


class DriftWatch:
    def __init__(self, trained: TrainedPool | None, share: float) -> None:
        self.trained = trained
        self.share = share
        self._last: tuple[str, Drift] | None = None  # the live version it was computed for
        self._warned_at: float | None = None

    def of(self, pool: Pool) -> Drift | None:
        if self.trained is None:
            return None
        if self._last is None or self._last[0] != pool.version:
            self._last = (pool.version, drift(self.trained, pool))
        return self._last[1]

    def warn_if_due(self, pool: Pool, now: float | None = None) -> bool:
        """Logs the warning when too much of the pool is new to the model and none was logged in the last day."""
        found = self.of(pool)
        if found is None or found.new_share <= self.share:
            return False
        now = time.monotonic() if now is None else now
        if self._warned_at is not None and now - self._warned_at < WARN_EVERY_SECONDS:
            return False
        self._warned_at = now
        log.warning(
            "pool drift: %d of %d developers are new to the fine-tuned model (more than %.0f%%), %d changed skills "
            "since it was trained on pool version %s; build a dataset from the live pool and fine-tune again",
            found.new, found.developers, self.share * 100, found.changed, found.trained_version,
        )  # fmt: skip
        return True
