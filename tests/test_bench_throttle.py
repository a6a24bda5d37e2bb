"""The throttle benchmark itself works: a small burst against real processes on 127.0.0.1 gets a 200 for every
request, each from the model or naming the rate limit, and the deployment sees only what it allowed and a few
429s. Its latencies are figures for `python -m bench.throttle`, never asserted here."""

from __future__ import annotations

from bench import throttle


def test_a_small_burst_on_a_throttled_deployment() -> None:
    figures = {figure.name: figure for figure in throttle.measure(requests=20, concurrency=4, calls=2, window=30)}
    assert figures["throttle: non-200 answers"].value == 0, figures["throttle: non-200 answers"].detail
    others = figures["throttle: answers neither the model's nor naming the rate limit"]
    assert others.value == 0, others.detail
    assert "'model': 2" in others.detail
    calls = figures["throttle: calls reaching the deployment"]
    assert calls.value <= 6, calls.detail  # 2 allowed, and at most the 4 already under way hear the 429
