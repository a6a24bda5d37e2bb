"""Paced throttling, simulated: requests arrive at a steady rate (10 a second for 15 s) at one process whose
deployment allows 2 calls per 10 s window and answers the rest with Azure's 429, asking to wait until the window
ends.

    python -m bench.paced_throttle [--rate 10] [--seconds 15] [--calls 2] [--window 10] [--latency 0.5]

The process's own model code runs (FineTunedModel: breaker, retries, deadline, the openai SDK) with serve's
defaults (8 s attempts, 2 retries, 12 s deadline), against the fake deployment (tests/fakes: FakeModel and
RateWindow) answering in memory over ASGI after a simulated network delay, on a simulated clock
(bench/virtual_time): the figures are the same on any machine and take no wall-clock time to wait. Goal: no
window hears more than 2 calls beyond the allowed ones (before the breaker paced the calls after a Retry-After
pause, every request that had waited it out called at once when it ended: 44 calls in one window, 38 throttled).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
from openai import AsyncAzureOpenAI

from bench.harness import Figure
from bench.virtual_time import run_simulated
from bestdev import template
from bestdev.model.faults import ModelFault
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.settings import load_settings
from tests.fakes.azure_limits import RateWindow
from tests.fakes.openai_model import FakeModel, Reply

RATE = 10.0
SECONDS = 15.0
CALLS = 2
WINDOW_SECONDS = 10.0
LATENCY_SECONDS = 0.5  # the model's answer
NETWORK_SECONDS = 0.05  # every reply's way back, a 429's too: calls made together are under way together
BEYOND_GOAL = 2
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"
ENDPOINT = "https://deployment.simulated.invalid"


@dataclass(frozen=True)
class Outcome:
    """What the simulated deployment saw per window, and how the requests ended."""

    windows: list[tuple[int, int]]  # (answered, throttled), one per window, in order
    requests: Counter[str]  # "model", or the fault's cause

    @property
    def most_beyond(self) -> int:
        return max((throttled for _, throttled in self.windows), default=0)

    @property
    def calls(self) -> int:
        return sum(answered + throttled for answered, throttled in self.windows)


def simulate(
    rate: float = RATE,
    seconds: float = SECONDS,
    calls: int = CALLS,
    window: float = WINDOW_SECONDS,
    latency: float = LATENCY_SECONDS,
) -> Outcome:
    return run_simulated(_scenario(rate, seconds, calls, window, latency), limit=seconds + 600.0)


async def _scenario(rate: float, seconds: float, calls: int, window: float, latency: float) -> Outcome:
    loop = asyncio.get_running_loop()
    fake = FakeModel()
    deployment = RateWindow(calls, window, Reply.answer(CHEN, delay=latency), clock=loop.time)

    def over_the_network(body: dict[str, Any]) -> Reply:
        reply = deployment(body)
        return dataclasses.replace(reply, delay=reply.delay + NETWORK_SECONDS)

    fake.default = over_the_network
    settings = load_settings(
        AZURE_OPENAI_ENDPOINT=ENDPOINT, AZURE_OPENAI_DEPLOYMENT="bench-ft", AZURE_OPENAI_API_KEY="simulated"
    )
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=fake.app))
    client = AsyncAzureOpenAI(
        azure_endpoint=ENDPOINT,
        api_key="simulated",
        api_version=settings.azure_openai_api_version,
        http_client=http,
        max_retries=0,
    )
    model = FineTunedModel(client, settings, clock=loop.time)
    prompt = template.prompt("BestDev", "A React Native app with Firebase for a coffee chain")

    async def one() -> str:
        try:
            await model.complete(prompt)
        except ModelFault as fault:
            return fault.cause
        return "model"

    requests = []
    for _ in range(round(rate * seconds)):
        requests.append(asyncio.create_task(one()))
        await asyncio.sleep(1.0 / rate)
    ended = Counter(await asyncio.gather(*requests))
    await model.aclose()
    per_window: dict[float, list[int]] = {}
    for start, answered in deployment.outcomes:
        per_window.setdefault(start, [0, 0])[0 if answered else 1] += 1
    return Outcome([(answered, throttled) for answered, throttled in per_window.values()], ended)


def figures(outcome: Outcome, rate: float, seconds: float, calls: int, window: float) -> list[Figure]:
    setup = f"{rate:g} requests/s for {seconds:g} s; {calls} calls per {window:g} s allowed; simulated clock"
    shown = ", ".join(f"{answered}+{throttled}" for answered, throttled in outcome.windows)
    return [
        Figure(
            "paced throttle: most calls beyond the allowance in one window",
            outcome.most_beyond,
            goal=BEYOND_GOAL,
            detail=f"{setup}; per window answered+throttled: {shown}",
        ),
        Figure(
            "paced throttle: calls reaching the deployment",
            outcome.calls,
            detail=f"requests ended: {dict(outcome.requests)}",
        ),
    ]


def run() -> list[Figure]:
    return figures(simulate(), RATE, SECONDS, CALLS, WINDOW_SECONDS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paced_throttle", description=__doc__)
    parser.add_argument("--rate", type=float, default=RATE, help="requests a second")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="how long they keep coming")
    parser.add_argument("--calls", type=int, default=CALLS, help="calls the deployment allows per window")
    parser.add_argument("--window", type=float, default=WINDOW_SECONDS, help="the window, in seconds")
    parser.add_argument("--latency", type=float, default=LATENCY_SECONDS, help="the model's answer time, in s")
    args = parser.parse_args(argv)
    outcome = simulate(args.rate, args.seconds, args.calls, args.window, args.latency)
    results = figures(outcome, args.rate, args.seconds, args.calls, args.window)
    for figure in results:
        met = "" if figure.met is None else ("  (goal met)" if figure.met else "  (goal NOT met)")
        print(f"{figure.name}: {figure.value:g}{met}  {figure.detail}")
    return 0 if all(figure.met is not False for figure in results) else 1


if __name__ == "__main__":
    sys.exit(main())
