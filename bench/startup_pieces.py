"""What each startup piece earns the first request: `bestdev serve` (fine-tuned backend, the fake model) started
fresh with the model client's warm-up and/or the rehearsal request left out (bench.serve_without); once it
listens, the first POST /api/recommend and the median of the next WARM_REQUESTS on the same connection.
The first answer's excess over a warm one is what a piece saves when it is in (medians of SERVE_STARTS starts).
"""

from __future__ import annotations

import asyncio
import time

from bench.harness import Connection, Figure, answered_by_model, fake_model, median, model_env, process, recommend_body

SERVE_STARTS = 5
WARM_REQUESTS = 20
VARIANTS = {
    "all pieces": "",
    "no model warm-up": "warm-up",
    "no rehearsal": "rehearsal",
    "neither": "warm-up,rehearsal",
}


async def _first_and_warm(port: int) -> tuple[float, float]:
    body = recommend_body()
    connection = await Connection.open(port)
    try:
        times = []
        for _ in range(1 + WARM_REQUESTS):
            started = time.perf_counter()
            status, answer = await connection.post("/api/recommend", body)
            times.append(time.perf_counter() - started)
            if not answered_by_model(status, answer):
                raise RuntimeError(f"an answer failed: {status} {answer[:200]!r}")
    finally:
        await connection.close()
    return times[0], median(times[1:])


def run() -> list[Figure]:
    firsts: dict[str, list[float]] = {name: [] for name in VARIANTS}
    warms: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with fake_model() as model_url:
        for _ in range(SERVE_STARTS):  # variants interleaved, so the machine's drift spreads over all of them
            for name, without in VARIANTS.items():
                args = ["bench.serve_without", "--without", without]
                with process(args, f"serve ({name})", model_env(model_url)) as running:
                    first, warm = asyncio.run(_first_and_warm(running.port))
                firsts[name].append(first)
                warms[name].append(warm)
    return [
        Figure(
            f"startup pieces: first answer, {name}",
            median(firsts[name]) * 1000,
            "ms",
            detail=f"warm answers {median(warms[name]) * 1000:.2f} ms; median of {SERVE_STARTS} starts",
        )
        for name in VARIANTS
    ]
