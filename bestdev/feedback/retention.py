"""The scheduled clean-up: what is older than BESTDEV_FEEDBACK_DAYS leaves the configured store."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

log = logging.getLogger(__name__)

# Every day at 03:17 UTC (NCRONTAB: second minute hour day month weekday), away from the top of the hour.
PRUNE_SCHEDULE = "0 17 3 * * *"


def prune_expired(settings: Settings, credential: TokenCredential | None = None) -> int:
    """Deletes expired answers and decisions; returns how many went. Store faults propagate (the run fails, and
    the next one tries again). `credential`: the process's Azure credential, for a table store. The store and
    its driver are imported here, when the timer runs, not when function_app (which names the schedule) loads."""
    from bestdev.feedback.capture import prune
    from bestdev.feedback.factory import build_store

    store = build_store(settings, credential)
    try:
        deleted = prune(store, settings.feedback_days)
    finally:
        store.close()
    log.info("feedback retention: deleted %d entries older than %d days", deleted, settings.feedback_days)
    return deleted
