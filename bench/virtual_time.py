"""An asyncio event loop on a simulated clock: when nothing is ready to run, the clock jumps to the next timer.

Everything that waits through the loop (asyncio.sleep, asyncio.timeout, wait_for) waits in simulated seconds,
so a 15-second scenario runs in the CPU time its code takes, and its timing is the same on any machine. Each turn
of the loop costs STEP simulated seconds, so code that waits for "the rest of a pause" always gets there (a loop
wakes a timer up to its clock resolution early). Only
in-memory work belongs on it (no sockets, no threads): a loop with nothing ready and no timer stops with an error
instead of waiting for I/O that would come in real time.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
STEP = 1e-6  # simulated seconds each turn of the loop takes


class Stalled(RuntimeError):
    """Nothing was ready and no timer was set: the simulation would wait forever."""


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    def __init__(self, clock: VirtualClock) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready: list[tuple[selectors.SelectorKey, int]] = super().select(0)
        if ready or timeout == 0:
            self._clock.advance(STEP)
            return ready
        if timeout is None:
            raise Stalled("the simulation stalled: nothing ready to run and no timer set")
        self._clock.advance(max(timeout, STEP))
        return ready


class VirtualClock:
    def __init__(self, limit: float) -> None:
        self.now = 0.0
        self.limit = limit

    def advance(self, seconds: float) -> None:
        self.now += seconds
        if self.now > self.limit:
            raise Stalled(f"the simulation ran past {self.limit:g} simulated seconds")


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self, limit: float = 3600.0) -> None:
        self.clock = VirtualClock(limit)
        super().__init__(selector=_JumpingSelector(self.clock))

    def time(self) -> float:
        return self.clock.now


def run_simulated(main: Coroutine[Any, Any, T], limit: float = 3600.0) -> T:
    """Runs `main` to its end on a VirtualTimeLoop that may advance at most `limit` simulated seconds."""
    loop = VirtualTimeLoop(limit)
    try:
        return loop.run_until_complete(main)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
