"""When the deployed fine-tuned model stops answering: its inference retirement date (its own, else its base
model's), looked up once at startup, shown on /api/health and warned about once a day when it is near."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from openai import AsyncOpenAI

from bestdev.lifecycle.catalog import CatalogError, list_models, today

log = logging.getLogger(__name__)

WARN_DAYS = 60
WARN_EVERY_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class Retirement:
    model: str
    retired_by: str
    retires: date

    def days_left(self, day: date) -> int:
        return (self.retires - day).days

    def describe(self, day: date) -> str:
        whose = "" if self.retired_by == self.model else f" (its base model {self.retired_by} retires then)"
        return f"{self.model} stops answering on {self.retires.isoformat()}, in {self.days_left(day)} days{whose}"


async def look_up(client: AsyncOpenAI, model: str) -> Retirement | None:
    """The model's inference retirement as the service lists it; None when it lists no date."""
    found = (await list_models(client)).inference_retirement(model)
    return None if found is None else Retirement(model, found[0], found[1])


class RetirementWatch:
    """Holds the looked-up date and logs a warning at most once a day while it is under WARN_DAYS away."""

    def __init__(self) -> None:
        self.retirement: Retirement | None = None
        self._warned_at: float | None = None

    @property
    def retires(self) -> date | None:
        return None if self.retirement is None else self.retirement.retires

    async def learn(self, client: AsyncOpenAI, model: str) -> None:
        try:
            self.retirement = await look_up(client, model)
        except CatalogError as error:
            log.warning("could not look up when %s retires: %s", model, error)
            return
        if self.retirement is None:
            log.info("the service lists no retirement date for %s", model)
        self.warn_if_due()

    def warn_if_due(self, now: float | None = None, day: date | None = None) -> bool:
        """Logs the warning if the date is near and none was logged in the last day; True if it logged."""
        if self.retirement is None:
            return False
        now = time.monotonic() if now is None else now
        day = day or today()
        if self.retirement.days_left(day) >= WARN_DAYS:
            return False
        if self._warned_at is not None and now - self._warned_at < WARN_EVERY_SECONDS:
            return False
        self._warned_at = now
        log.warning("model retirement: %s; fine-tune a current base model and redeploy", self.retirement.describe(day))
        return True
