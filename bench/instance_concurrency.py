"""Per-instance HTTP concurrency: what one `bestdev serve` process (one Flex Consumption instance runs one worker)
adds to requests that arrive N at a time while the model takes MODEL_DELAY per answer, for the N that
infra/'s `httpPerInstanceConcurrency` could be set to. Reports, per N, the wall time of the N requests beyond the
model's own time, and the serve CPU each request costs (N x that CPU / model time = the share of one core the
instance needs to keep N in flight). No goal: it is the measurement behind the parameter's default.
"""

from __future__ import annotations

import asyncio

from bench.concurrency import app_round
from bench.harness import Connection, Figure, cpu_seconds, fake_model, median, recommend_body, run_loop, serve

MODEL_DELAY = 0.5
LEVELS = (1, 16, 50, 100, 200)
ROUNDS = 5


async def measure(port: int, serve_pid: int) -> dict[int, tuple[float, float, int]]:
    """N -> (median added wall seconds, serve CPU seconds per request, errors)."""
    body = recommend_body()
    results: dict[int, tuple[float, float, int]] = {}
    connections = list(await asyncio.gather(*(Connection.open(port) for _ in range(max(LEVELS)))))
    try:
        await app_round(connections, port, body)  # warm: every connection, and the app's to the model
        for level in LEVELS:
            walls, cpu, errors = [], 0.0, 0
            for _ in range(ROUNDS):
                before = cpu_seconds(serve_pid)
                took, failed = await app_round(connections[:level], port, body)
                cpu += cpu_seconds(serve_pid) - before
                walls.append(took - MODEL_DELAY)
                errors += failed
            results[level] = (median(walls), cpu / (level * ROUNDS), errors)
    finally:
        await asyncio.gather(*(connection.close() for connection in connections))
    return results


def run() -> list[Figure]:
    with fake_model(delay=MODEL_DELAY) as model_url, serve(model_url) as served:
        results = run_loop(measure(served.port, served.pid))
    figures = []
    for level, (added, cpu, errors) in results.items():
        core_share = level * cpu / MODEL_DELAY
        figures.append(
            Figure(
                f"instance concurrency {level}: added wall time",
                added * 1000,
                "ms",
                detail=f"{errors} errors; serve CPU {cpu * 1000:.2f} ms per request; {core_share:.0%} of a core"
                f" to keep {level} in flight at {MODEL_DELAY * 1000:.0f} ms per answer",
            )
        )
    return figures
