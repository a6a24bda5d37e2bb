"""A burst on a throttled deployment: 50 requests, 10 at a time, to one `bestdev serve` process whose model allows
2 calls per 10 s and answers the rest with Azure's 429 (body, Retry-After, retry-after-ms, x-ratelimit-remaining-*).

    python -m bench.throttle [--requests 50] [--concurrency 10] [--calls 2] [--window 10] [--retry-after S]

The fake (tests/fakes/azure_limits.RateWindow) asks to wait until its window ends, or `--retry-after` seconds (60:
"come back in a minute"). serve runs with its defaults (8 s attempts, 2 retries, 12 s deadline) and the local
fallback. Reports p50 latency (goal below 1 s), statuses, answers that are neither the model's nor a fallback
naming the rate limit (goal 0), and the calls that reached the fake (goal: at most about 12).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.harness import Connection, Figure, model_env, process, recommend_body, run_loop
from tests.fakes.azure_limits import RateWindow
from tests.fakes.openai_model import FakeModel, Reply
from tests.fakes.server import serve_in_thread

REQUESTS = 50
CONCURRENCY = 10
CALLS = 2
WINDOW_SECONDS = 10.0
REQUEST_TIMEOUT_SECONDS = 30.0
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)


async def _worker(port: int, queue: asyncio.Queue[int], tally: Tally) -> None:
    connection = await Connection.open(port)
    try:
        while not queue.empty():
            number = queue.get_nowait()
            body = recommend_body(f"A React Native app with Firebase for a coffee chain (request {number})")
            started = time.perf_counter()
            try:
                status, raw = await asyncio.wait_for(connection.post("/api/recommend", body), REQUEST_TIMEOUT_SECONDS)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
                tally.statuses[type(error).__name__] += 1
                await connection.close()
                connection = await Connection.open(port)
                continue
            tally.latencies.append(time.perf_counter() - started)
            tally.statuses[str(status)] += 1
            answer = json.loads(raw)
            reason = (answer.get("fallback") or {}).get("reason") or ""
            if status == 200 and answer["backend"] == "azure-openai":
                tally.answers["model"] += 1
            elif status == 200 and "rate limited" in reason:
                tally.answers["fallback naming the rate limit"] += 1
                tally.reasons[reason.split(";")[0].split(":")[0]] += 1
            else:
                tally.answers["other"] += 1
                tally.reasons[reason or str(answer.get("error"))] += 1
    finally:
        await connection.close()


async def _drive(port: int, requests: int, concurrency: int) -> Tally:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)
    tally = Tally()
    await asyncio.gather(*(_worker(port, queue, tally) for _ in range(concurrency)))
    return tally


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def measure(
    requests: int = REQUESTS,
    concurrency: int = CONCURRENCY,
    calls: int = CALLS,
    window: float = WINDOW_SECONDS,
    retry_after: float | None = None,
) -> list[Figure]:
    fake = FakeModel()
    deployment = RateWindow(calls, window, Reply.answer(CHEN), retry_after=retry_after)
    fake.default = deployment
    with serve_in_thread(fake.app) as model_url:
        env = {**model_env(model_url), "BESTDEV_FALLBACK": "local"}
        with process(["bestdev", "serve"], "bestdev serve", env) as running:
            started = time.perf_counter()
            tally = run_loop(_drive(running.port, requests, concurrency))
            seconds = time.perf_counter() - started
    milliseconds = [latency * 1000 for latency in tally.latencies]
    asked = "until the window ends" if retry_after is None else f"{retry_after:g} s"
    setup = f"{requests} requests, {concurrency} at a time; {calls} calls per {window:g} s, 429 asks to wait {asked}"
    return [
        Figure("throttle: p50 latency", _percentile(milliseconds, 0.5), "ms", goal=1000, detail=setup),
        Figure(
            "throttle: p99 latency",
            _percentile(milliseconds, 0.99),
            "ms",
            detail=f"max {max(milliseconds, default=0):.0f} ms, {seconds:.1f} s in all",
        ),
        Figure(
            "throttle: non-200 answers",
            sum(n for s, n in tally.statuses.items() if s != "200"),
            goal=0,
            detail=f"statuses {dict(tally.statuses)}",
        ),
        Figure(
            "throttle: answers neither the model's nor naming the rate limit",
            tally.answers["other"],
            goal=0,
            detail=f"{dict(tally.answers)}; reasons {dict(tally.reasons)}",
        ),
        Figure(
            "throttle: calls reaching the deployment",
            deployment.received,
            goal=12,
            detail=f"{deployment.answered} answered, {deployment.throttled} throttled",
        ),
    ]


def run() -> list[Figure]:
    return measure()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.throttle", description=__doc__)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    parser.add_argument("--calls", type=int, default=CALLS, help="calls the deployment allows per window")
    parser.add_argument("--window", type=float, default=WINDOW_SECONDS, help="the window, in seconds")
    parser.add_argument("--retry-after", type=float, default=None, help="what a 429 asks (default: the window's end)")
    args = parser.parse_args(argv)
    figures = measure(args.requests, args.concurrency, args.calls, args.window, args.retry_after)
    for figure in figures:
        value = f"{figure.value:.1f}" if isinstance(figure.value, float) else str(figure.value)
        met = "" if figure.met is None else ("  (goal met)" if figure.met else "  (goal NOT met)")
        print(f"{figure.name}: {value} {figure.unit}{met}  {figure.detail}".rstrip())
    return 0 if all(figure.met is not False for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
