"""The breaker's rules, on a clock the test moves (the HTTP behaviour is in tests/recommend/test_throttling.py)."""

from __future__ import annotations

import pytest

from bestdev.model.breaker import LONGEST_PAUSE, Breaker
from bestdev.model.faults import ModelFault


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> Breaker:
    return Breaker(failures=3, pause=10.0, clock=clock)


def test_a_429_holds_every_call_until_the_service_s_time(breaker: Breaker, clock: Clock) -> None:
    breaker.throttled(60, "the model is rate limited (429)")
    assert breaker.wait() == 60
    assert breaker.waitable
    status = breaker.status()
    assert (status.state, status.retry_after) == ("rate_limited", 60)
    refusal = breaker.refusal()
    assert refusal.cause == "rate_limited"
    assert refusal.retry_after == 60
    assert "rate limited" in refusal.message
    assert "60 s" in refusal.message
    clock.now += 60
    assert breaker.wait() == 0
    assert breaker.status().state == "available"


def test_a_shorter_429_never_shortens_a_longer_wait(breaker: Breaker, clock: Clock) -> None:
    breaker.throttled(60, "429")
    breaker.throttled(5, "429")
    assert breaker.wait() == 60


def test_a_success_does_not_cancel_the_wait_the_service_asked_for(breaker: Breaker) -> None:
    breaker.throttled(30, "429")
    breaker.succeeded()
    assert breaker.wait() == 30


def test_no_wait_is_remembered_for_longer_than_the_longest_pause(breaker: Breaker) -> None:
    breaker.throttled(float("inf"), "429")
    assert breaker.wait() == LONGEST_PAUSE


def test_repeated_failures_open_it_then_one_probe_goes(breaker: Breaker, clock: Clock) -> None:
    for _ in range(2):
        breaker.failed("unavailable", "the model service failed (500)", None)
        assert breaker.wait() == 0
        assert not breaker.take_probe()
    breaker.failed("unavailable", "the model service failed (500)", None)
    assert breaker.wait() == 10
    assert not breaker.waitable  # our own back-off: requests answer at once rather than sit it out
    status = breaker.status()
    assert (status.state, status.retry_after) == ("backing_off", 10)
    assert status.reason
    assert "failed 3 times in a row" in status.reason
    clock.now += 10
    assert breaker.take_probe()
    with pytest.raises(ModelFault, match="checking whether it is back") as refused:
        breaker.take_probe()  # a second request while the probe is out
    assert refused.value.cause == "unavailable"
    breaker.failed("unavailable", "the model service failed (500)", None, probe=True)
    breaker.probe_done()
    assert breaker.wait() == 20  # a failed probe doubles the pause
    clock.now += 20
    assert breaker.take_probe()
    breaker.succeeded()
    breaker.probe_done()
    assert breaker.status().state == "available"
    assert not breaker.take_probe()


def test_failures_of_calls_already_under_way_do_not_stretch_the_pause(breaker: Breaker) -> None:
    for _ in range(10):
        breaker.failed("connection", "the model endpoint could not be reached", None)
    assert breaker.wait() == 10


def test_a_5xx_with_retry_after_is_waited_out_like_a_429(breaker: Breaker) -> None:
    breaker.failed("unavailable", "the model service failed (503)", 30)
    assert breaker.wait() == 30
    assert breaker.waitable
    assert breaker.status().state == "backing_off"
    assert breaker.refusal().cause == "unavailable"


def test_a_failure_count_is_forgotten_once_the_service_answers(breaker: Breaker) -> None:
    breaker.failed("unavailable", "500", None)
    breaker.failed("unavailable", "500", None)
    breaker.succeeded()
    breaker.failed("unavailable", "500", None)
    assert breaker.wait() == 0


def test_after_a_retry_after_pause_one_call_probes_before_the_others(breaker: Breaker, clock: Clock) -> None:
    breaker.throttled(10, "the model is rate limited (429)")
    clock.now += 10
    assert breaker.may_start()
    breaker.started()
    assert not breaker.may_start()  # the others wait for the probe
    refusal = breaker.ramp_refusal()
    assert refusal.cause == "rate_limited"
    assert "checking whether it is back" in refusal.message


def test_each_success_after_the_pause_doubles_the_calls_under_way(breaker: Breaker, clock: Clock) -> None:
    breaker.throttled(10, "429")
    clock.now += 10
    allowed = []
    for _ in range(5):
        starts = 0
        while breaker.may_start() and starts < 100:
            breaker.started()
            starts += 1
        allowed.append(starts)
        for _ in range(starts):
            breaker.ended()
        breaker.succeeded()
    assert allowed[:4] == [1, 2, 4, 8]
    assert allowed[4] == 100  # past RAMP_END the limit is lifted


def test_a_new_429_during_the_ramp_starts_over_from_one_call(breaker: Breaker, clock: Clock) -> None:
    breaker.throttled(10, "429")
    clock.now += 10
    breaker.succeeded()
    breaker.succeeded()
    breaker.throttled(10, "429")
    clock.now += 10
    breaker.started()
    assert not breaker.may_start()


def test_without_a_retry_after_pause_calls_are_not_held_back(breaker: Breaker) -> None:
    for _ in range(50):
        assert breaker.may_start()
        breaker.started()
