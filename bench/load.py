"""Load: 5,000 requests at concurrency 100 against one `bestdev serve` process, backed by the fake model.

    python -m bench.load [--requests 5000] [--concurrency 100] [--model-delay 0.05]

Each of the concurrent workers keeps one HTTP/1.1 connection and sends its share of the requests one after
another, every description different. An error is anything but a 200 answered by the model (the server runs
with BESTDEV_FALLBACK=none, so a failed model call cannot hide behind the local fallback), a transport error,
or a request id that is not new. Reports errors (goal: 0), p50/p99 latency and throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.harness import Connection, Figure, fake_model, recommend_body, run_loop, serve

REQUESTS = 5000
CONCURRENCY = 100
MODEL_DELAY = 0.05
REQUEST_TIMEOUT_SECONDS = 30.0
DESCRIPTIONS = [
    "A React Native app with Firebase for a coffee chain",
    "React Native and Firebase loyalty app with push notifications",
    "Mobile app in React Native with a Firebase backend for field service engineers",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    request_ids: set[str] = field(default_factory=set)
    errors: int = 0


async def _worker(port: int, queue: asyncio.Queue[int], tally: Tally) -> None:
    connection: Connection | None = None
    try:
        while not queue.empty():
            number = queue.get_nowait()
            description = f"{DESCRIPTIONS[number % len(DESCRIPTIONS)]} (request {number})"
            started = time.perf_counter()
            try:
                connection = connection or await Connection.open(port)
                status, body = await asyncio.wait_for(
                    connection.post("/api/recommend", recommend_body(description)), REQUEST_TIMEOUT_SECONDS
                )
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                tally.errors += 1
                tally.outcomes[type(error).__name__] += 1
                if connection is not None:
                    await connection.close()
                connection = None
                continue
            tally.latencies.append(time.perf_counter() - started)
            answer = json.loads(body)
            fresh = status == 200 and answer["request_id"] not in tally.request_ids
            good = fresh and answer["backend"] == "azure-openai" and answer["recommendations"][0]["name"] == "Chen Wei"
            tally.outcomes["ok" if good else str(status)] += 1
            tally.errors += not good
            if status == 200:
                tally.request_ids.add(answer["request_id"])
    finally:
        if connection is not None:
            await connection.close()


async def _drive(port: int, requests: int, concurrency: int) -> tuple[Tally, float]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(*(_worker(port, queue, tally) for _ in range(concurrency)))
    return tally, time.perf_counter() - started


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def measure(requests: int = REQUESTS, concurrency: int = CONCURRENCY, model_delay: float = MODEL_DELAY) -> list[Figure]:
    with fake_model(model_delay) as model_url, serve(model_url) as running:
        run_loop(_drive(running.port, concurrency, concurrency))  # warm-up: one request per connection
        tally, seconds = run_loop(_drive(running.port, requests, concurrency))
    milliseconds = [latency * 1000 for latency in tally.latencies]
    setup = f"{requests} requests, {concurrency} at a time, model {model_delay * 1000:g} ms"
    return [
        Figure("load: errors", tally.errors, goal=0, detail=f"{setup}; outcomes {dict(tally.outcomes)}"),
        Figure("load: p50 latency", _percentile(milliseconds, 0.50), "ms", detail=setup),
        Figure(
            "load: p99 latency",
            _percentile(milliseconds, 0.99),
            "ms",
            detail=f"max {max(milliseconds, default=0):.0f} ms",
        ),
        Figure("load: mean latency", statistics.fmean(milliseconds) if milliseconds else float("nan"), "ms"),
        Figure("load: throughput", requests / seconds, "requests/s", detail=f"{seconds:.1f} s in all"),
    ]


def run() -> list[Figure]:
    return measure()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--model-delay", type=float, default=MODEL_DELAY, help="seconds the fake model takes")
    args = parser.parse_args(argv)
    figures = measure(args.requests, args.concurrency, args.model_delay)
    for figure in figures:
        value = f"{figure.value:.1f}" if isinstance(figure.value, float) else str(figure.value)
        print(f"{figure.name}: {value} {figure.unit}  {figure.detail}".rstrip())
    return 0 if figures[0].value == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
