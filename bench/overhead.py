"""Overhead: p50 of POST /api/recommend through `bestdev serve` against p50 of the bare SDK call it wraps.

The fake model answers at once. Requests alternate with bare SDK calls (same prompt, same fake, same client
settings), one at a time, so both see the same machine. Goal: (app - bare) / bare <= 0.7.
"""

from __future__ import annotations

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

GOAL = 0.7
WARM_UP = 200
ROUNDS = 1500


async def measure(port: int, model_url: str, rounds: int = ROUNDS) -> tuple[list[float], list[float], int]:
    """Latencies (s) of app requests and of bare SDK calls, alternating; and how many app answers failed."""
    import time

    client = bare_client(model_url)
    messages = bare_messages()
    connection = await Connection.open(port)
    body = recommend_body()
    app: list[float] = []
    bare: list[float] = []
    errors = 0
    try:
        for index in range(WARM_UP + rounds):
            started = time.perf_counter()
            status, answer = await connection.post("/api/recommend", body)
            middle = time.perf_counter()
            await bare_call(client, messages)
            ended = time.perf_counter()
            if index >= WARM_UP:
                app.append(middle - started)
                bare.append(ended - middle)
                errors += not answered_by_model(status, answer)
    finally:
        await connection.close()
        await client.close()
    return app, bare, errors


def run() -> list[Figure]:
    with fake_model() as model_url, serve(model_url) as served:
        app, bare, errors = run_loop(measure(served.port, model_url))
    app_p50, bare_p50 = median(app), median(bare)
    ratio = (app_p50 - bare_p50) / bare_p50
    return [
        Figure("overhead: bare SDK call p50", bare_p50 * 1000, "ms"),
        Figure("overhead: POST /api/recommend p50", app_p50 * 1000, "ms", detail=f"{errors} errors"),
        Figure("overhead: (app - bare) / bare", ratio, goal=GOAL, detail=f"{len(app)} requests each"),
    ]
