"""Bounded polling for the fine-tuning commands: an interval, a deadline, and patience with transient faults."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bestdev.errors import ServiceError

T = TypeVar("T")


class PollingTimeout(ServiceError, TimeoutError):
    """The service did not reach the awaited state before the deadline."""


class TooManyFaults(ServiceError, RuntimeError):
    """Transient faults went on longer than the patience allowed."""


@dataclass(frozen=True)
class Polling:
    """How often to ask, for how long at most, and how many transient faults in a row to ride out."""

    interval: float = 30.0
    timeout: float = 24 * 3600.0
    patience: int = 10

    def __post_init__(self) -> None:
        if self.interval < 0 or self.timeout <= 0 or self.patience < 0:
            raise ValueError("polling needs interval >= 0, timeout > 0 and patience >= 0")


async def ticks(polling: Polling, waiting_for: str) -> AsyncGenerator[int, None]:
    """Yields 0, 1, 2 ... one poll apart; raises PollingTimeout once the next poll would pass the deadline."""
    deadline = time.monotonic() + polling.timeout
    count = 0
    while True:
        yield count
        count += 1
        if time.monotonic() + polling.interval > deadline:
            raise PollingTimeout(f"gave up waiting for {waiting_for} after {polling.timeout:g} s")
        await asyncio.sleep(polling.interval)


async def patiently(
    call: Callable[[], Awaitable[T]],
    polling: Polling,
    is_transient: Callable[[BaseException], bool],
    on_fault: Callable[[BaseException], None] | None = None,
) -> T:
    """Runs `call`, retrying transient faults up to `polling.patience` times in a row, one interval apart."""
    faults = 0
    while True:
        try:
            return await call()
        except Exception as error:
            if not is_transient(error):
                raise
            faults += 1
            if faults > polling.patience:
                raise TooManyFaults(f"the service kept failing ({faults} faults in a row): {error}") from error
            if on_fault is not None:
                on_fault(error)
            await asyncio.sleep(polling.interval)
