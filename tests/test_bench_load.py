"""The load benchmark itself works: a small run against real processes on 127.0.0.1 has no errors.

Only its correctness is checked here (every answer a 200 from the model, with a fresh request id); its timings are
figures for `make bench`, never asserted.
"""

from __future__ import annotations

from bench import load


def test_a_small_load_run_has_no_errors() -> None:
    figures = {figure.name: figure for figure in load.measure(requests=60, concurrency=10, model_delay=0.0)}
    errors = figures["load: errors"]
    assert errors.value == 0, errors.detail
    assert "'ok': 60" in errors.detail
    assert figures["load: throughput"].value > 0
