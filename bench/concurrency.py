"""Concurrency: 200 requests at once to one `bestdev serve` process while the model takes 200 ms per answer.

Compared with the bare async SDK making the same 200 calls at once to the same fake. Rounds alternate; both
sides start warm (their connections open), so the figure shows how well the app overlaps slow model calls.
Goal: app wall time / bare wall time <= 1.2, with 0 errors.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from bench.harness import (
    Connection,
    Figure,
    answered_by_model,
    bare_call,
    bare_client,
    bare_messages,
    cpu_seconds,
    fake_model,
    median,
    recommend_body,
    run_loop,
    serve,
)

GOAL = 1.2
CONCURRENT = 200
MODEL_DELAY = 0.2
ROUNDS = 7


async def app_round(connections: list[Connection], port: int, body: bytes) -> tuple[float, int]:
    """Times the requests alone, on warm keep-alive connections (as the bare client's are); any the server
    closed while idle is reopened first, untimed."""
    for index, connection in enumerate(connections):
        if connection.closed():
            await connection.close()
            connections[index] = await Connection.open(port)
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(connection.post("/api/recommend", body) for connection in connections), return_exceptions=True
    )
    took = time.perf_counter() - started
    errors = sum(1 for answer in answers if isinstance(answer, BaseException) or not answered_by_model(*answer))
    return took, errors


async def _bare_round(client: Any, messages: list[dict[str, str]]) -> tuple[float, int]:
    started = time.perf_counter()
    answers = await asyncio.gather(*(bare_call(client, messages) for _ in range(CONCURRENT)), return_exceptions=True)
    took = time.perf_counter() - started
    return took, sum(1 for answer in answers if isinstance(answer, BaseException))


@dataclass
class Totals:
    app: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    app_errors: int = 0
    bare_errors: int = 0
    serve_cpu: float = 0.0
    bare_cpu: float = 0.0


async def measure(port: int, serve_pid: int, model_url: str) -> Totals:
    """Alternating rounds; also the CPU time the serve process and this one (the bare SDK) spend on them."""
    client = bare_client(model_url, max_connections=CONCURRENT)
    messages = bare_messages()
    body = recommend_body()
    totals = Totals()
    connections = list(await asyncio.gather(*(Connection.open(port) for _ in range(CONCURRENT))))
    try:
        await app_round(connections, port, body)  # warm: the app's model connections open
        await _bare_round(client, messages)  # warm: the bare client's connections open
        for _ in range(ROUNDS):
            before = cpu_seconds(serve_pid)
            took, errors = await app_round(connections, port, body)
            totals.serve_cpu += cpu_seconds(serve_pid) - before
            totals.app.append(took)
            totals.app_errors += errors
            before = time.process_time()
            took, errors = await _bare_round(client, messages)
            totals.bare_cpu += time.process_time() - before
            totals.bare.append(took)
            totals.bare_errors += errors
    finally:
        await asyncio.gather(*(connection.close() for connection in connections))
        await client.close()
    return totals


def run() -> list[Figure]:
    with fake_model(delay=MODEL_DELAY) as model_url, serve(model_url) as served:
        totals: Totals = run_loop(measure(served.port, served.pid, model_url))
    app_wall, bare_wall = median(totals.app), median(totals.bare)
    calls = CONCURRENT * ROUNDS
    return [
        Figure(
            f"concurrency: bare SDK, {CONCURRENT} calls at once",
            bare_wall * 1000,
            "ms",
            detail=f"{totals.bare_errors} errors; CPU {totals.bare_cpu / calls * 1000:.2f} ms per call",
        ),
        Figure(
            f"concurrency: serve, {CONCURRENT} requests at once",
            app_wall * 1000,
            "ms",
            detail=f"{totals.app_errors} errors; serve CPU {totals.serve_cpu / calls * 1000:.2f} ms per request",
        ),
        Figure(
            "concurrency: app / bare wall time", app_wall / bare_wall, goal=GOAL, detail=f"median of {ROUNDS} rounds"
        ),
        Figure("concurrency: errors", totals.app_errors, goal=0),
    ]
