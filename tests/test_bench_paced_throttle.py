"""Paced throttling on a simulated clock (bench/paced_throttle): 10 requests a second for 15 s against a deployment
allowing 2 calls per 10 s. After each Retry-After pause one call probes before the others: no window hears more
than 2 calls beyond the allowed ones, and the requests that cannot be served get the rate-limit fault."""

from __future__ import annotations

import asyncio

import pytest

from bench import paced_throttle
from bench.virtual_time import Stalled, run_simulated


def test_no_window_hears_more_than_two_calls_beyond_its_allowance() -> None:
    outcome = paced_throttle.simulate(rate=10, seconds=15, calls=2, window=10)
    assert outcome.windows, "the deployment heard calls"
    assert all(answered == 2 for answered, _ in outcome.windows), outcome.windows  # each window's allowance used
    assert outcome.most_beyond <= 2, outcome.windows
    assert outcome.requests["model"] == 2 * len(outcome.windows)
    assert sum(outcome.requests.values()) == 150
    assert set(outcome.requests) == {"model", "rate_limited"}


def test_a_longer_run_stays_paced_in_every_window() -> None:
    outcome = paced_throttle.simulate(rate=10, seconds=45, calls=2, window=10)
    assert len(outcome.windows) >= 4
    assert outcome.most_beyond <= 2, outcome.windows


def test_the_benchmark_reports_the_figure_against_its_goal() -> None:
    figures = paced_throttle.run()
    beyond = figures[0]
    assert beyond.goal == 2
    assert beyond.met, beyond.detail


def test_the_simulated_clock_jumps_to_the_next_timer() -> None:
    async def sleep_long() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.sleep(3600)
        return loop.time() - start

    assert 3600 <= run_simulated(sleep_long(), limit=7200) < 3601


def test_a_simulation_that_waits_for_nothing_stops_instead_of_hanging() -> None:
    async def forever() -> None:
        await asyncio.get_running_loop().create_future()

    with pytest.raises(Stalled, match="nothing ready"):
        run_simulated(forever())
