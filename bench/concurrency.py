"""Concurrency: 200 requests at once to one `bestdev serve` process while the model takes 200 ms per answer.

Compared with the bare async SDK making the same 200 calls at once to the same fake. Rounds alternate; both
sides start warm (their connections open), so the figure shows how well the app overlaps slow model calls.
Goal: app wall time / bare wall time <= 1.1, with 0 errors.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.harness import (
    Connection,
    Figure,
    answered_by_model,
    bare_call,
    bare_client,
    bare_messages,
    fake_model,
    median,
    recommend_body,
    run_loop,
    serve,
)

GOAL = 1.1
CONCURRENT = 200
MODEL_DELAY = 0.2
ROUNDS = 7


async def _app_round(port: int, body: bytes) -> tuple[float, int]:
    """Opens the connections first (a warm client keeps them), then times the requests alone."""
    connections = await asyncio.gather(*(Connection.open(port) for _ in range(CONCURRENT)))
    try:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(connection.post("/api/recommend", body) for connection in connections), return_exceptions=True
        )
        took = time.perf_counter() - started
    finally:
        await asyncio.gather(*(connection.close() for connection in connections))
    errors = sum(1 for answer in answers if isinstance(answer, BaseException) or not answered_by_model(*answer))
    return took, errors


async def _bare_round(client: Any, messages: list[dict[str, str]]) -> tuple[float, int]:
    started = time.perf_counter()
    answers = await asyncio.gather(*(bare_call(client, messages) for _ in range(CONCURRENT)), return_exceptions=True)
    took = time.perf_counter() - started
    return took, sum(1 for answer in answers if isinstance(answer, BaseException))


async def measure(port: int, model_url: str) -> tuple[list[float], list[float], int, int]:
    client = bare_client(model_url, max_connections=CONCURRENT)
    messages = bare_messages()
    body = recommend_body()
    app: list[float] = []
    bare: list[float] = []
    app_errors = bare_errors = 0
    try:
        await _app_round(port, body)  # warm: the app's model connections open
        await _bare_round(client, messages)  # warm: the bare client's connections open
        for _ in range(ROUNDS):
            took, errors = await _app_round(port, body)
            app.append(took)
            app_errors += errors
            took, errors = await _bare_round(client, messages)
            bare.append(took)
            bare_errors += errors
    finally:
        await client.close()
    return app, bare, app_errors, bare_errors


def run() -> list[Figure]:
    with fake_model(delay=MODEL_DELAY) as model_url, serve(model_url) as served:
        app, bare, app_errors, bare_errors = run_loop(measure(served.port, model_url))
    app_wall, bare_wall = median(app), median(bare)
    return [
        Figure(
            f"concurrency: bare SDK, {CONCURRENT} calls at once", bare_wall * 1000, "ms", detail=f"{bare_errors} errors"
        ),
        Figure(
            f"concurrency: serve, {CONCURRENT} requests at once", app_wall * 1000, "ms", detail=f"{app_errors} errors"
        ),
        Figure(
            "concurrency: app / bare wall time", app_wall / bare_wall, goal=GOAL, detail=f"median of {ROUNDS} rounds"
        ),
        Figure("concurrency: errors", app_errors, goal=0),
    ]
