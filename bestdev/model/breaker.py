"""The model's "not before", shared by every request in the process: a small circuit breaker.

Two things close the way to the deployment for a while:
- the service asked to wait (429, or a 5xx with `Retry-After`): no call until that time has passed; a request
  whose deadline holds the wait and a full attempt after it waits, the others are refused at once;
- calls failed `failures` times in a row (5xx, connection refused): no call for `pause` seconds, then one
  request probes while the others are refused; a failed probe doubles the pause (up to LONGEST_PAUSE), a call
  that gets any answer from the service closes the breaker.
After a pause the service asked for, the requests that waited it out do not all call at once: one call may be
under way, then (each time a call succeeds) twice as many, until RAMP_END are; a new 429 starts over from one.
So the first call after the pause probes, and a deployment that is still throttled hears one call, not all.
Timeouts and credential failures leave it as it is: a slow generation says nothing about the next one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bestdev.model.faults import FaultCause, ModelFault

LONGEST_PAUSE = 300.0  # no wait is remembered longer (a Retry-After of a day, or a date in 2099): then one probe
RAMP_END = 16  # after a Retry-After pause, calls under way double from one; at this many the limit is lifted

ModelState = Literal["available", "rate_limited", "backing_off"]


@dataclass(frozen=True)
class ModelStatus:
    """What /api/health reports about the model: whether calls go out, and when they will again."""

    state: ModelState
    retry_after: int | None = None
    reason: str | None = None


class Breaker:
    def __init__(self, failures: int, pause: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures_to_open = failures
        self.first_pause = pause
        self.clock = clock
        self._until = 0.0  # no call before this clock reading
        self._asked = False  # the service set _until (so waiting it out is allowed)
        self._cause: FaultCause = "rate_limited"
        self._why = ""
        self._failures = 0
        self._pause = pause
        self._probing = False
        self._ramp: int | None = None  # after a Retry-After pause: calls that may be under way at once
        self._under_way = 0

    def wait(self) -> float:
        """Seconds until a call may start; 0 when it may start now."""
        return max(0.0, self._until - self.clock())

    @property
    def waitable(self) -> bool:
        """True when the current pause is the service's own (Retry-After), so a request may sit it out."""
        return self._asked

    def take_probe(self) -> bool:
        """For a request about to call once any pause has passed: True when it is the probe after failures.
        Raises the refusal when another request is probing already."""
        if self._failures < self.failures_to_open:
            return False
        if self._probing:
            raise ModelFault(self._cause, f"{self._why}; another request is checking whether it is back")
        self._probing = True
        return True

    def probe_done(self) -> None:
        self._probing = False

    def may_start(self) -> bool:
        """Once any pause has passed: whether one more call may start now (False while, after a Retry-After
        pause, as many calls are under way as the ramp allows: the request waits for one of them to end)."""
        return self._ramp is None or self._under_way < self._ramp

    def started(self) -> None:
        self._under_way += 1

    def ended(self) -> None:
        self._under_way -= 1

    def ramp_refusal(self) -> ModelFault:
        """The fault for a request that cannot wait for a call under way to end, after a Retry-After pause."""
        return ModelFault(
            self._cause,
            f"{self._why}; after its pause, {self._under_way} call(s) are checking whether it is back",
            detail="held back by the breaker after a Retry-After pause",
        )

    def refusal(self) -> ModelFault:
        """The fault for a request that may not call now (or cannot wait long enough)."""
        wait = self.wait()
        return ModelFault(
            self._cause,
            f"{self._why}; not calling it for another {_seconds(wait)} s",
            retry_after=wait or None,
            detail="skipped by the breaker",
        )

    def succeeded(self) -> None:
        """The service answered (anything but 429 or 5xx): failures are forgotten; a wait it asked for stands;
        after a Retry-After pause, twice as many calls may be under way."""
        self._failures = 0
        self._pause = self.first_pause
        if not self._asked:
            self._until = 0.0
        if self._ramp is not None and self.wait() == 0:
            self._ramp *= 2
            if self._ramp >= RAMP_END:
                self._ramp = None

    def throttled(self, seconds: float, why: str) -> None:
        """429: the service asked to wait `seconds`; after it, calls start again one at a time."""
        self._ask(seconds, "rate_limited", why)

    def failed(self, cause: FaultCause, why: str, seconds: float | None, probe: bool = False) -> None:
        """A 5xx or a refused connection; `seconds` is the service's Retry-After, if it sent one. The breaker
        opens on the `failures`-th in a row; a failed probe reopens it for twice as long. Failures of calls that
        were already under way when it opened change nothing."""
        self._failures += 1
        if probe or self._failures == self.failures_to_open:
            if probe:
                self._pause = min(self._pause * 2, LONGEST_PAUSE)
            until = self.clock() + self._pause
            if until > self._until:
                self._until, self._asked, self._cause = until, False, cause
                self._why = f"the model service failed {self._failures} times in a row ({why})"
        if seconds:
            self._ask(seconds, cause, why)

    def _ask(self, seconds: float, cause: FaultCause, why: str) -> None:
        self._ramp = 1
        until = self.clock() + min(seconds, LONGEST_PAUSE)
        if until > self._until:
            self._until, self._asked, self._cause, self._why = until, True, cause, why

    def status(self) -> ModelStatus:
        wait = self.wait()
        if wait > 0:
            state: ModelState = "rate_limited" if self._cause == "rate_limited" else "backing_off"
            return ModelStatus(state, math.ceil(wait), self._why)
        if self._failures >= self.failures_to_open:
            return ModelStatus("backing_off", None, f"{self._why}; the next request checks whether it is back")
        return ModelStatus("available")


def _seconds(value: float) -> int:
    return max(1, math.ceil(value))
