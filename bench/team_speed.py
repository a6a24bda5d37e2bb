"""Speed of staffing a team at 100 and 10,000 developers (synthetic pools): the domain call, and POST /api/team.

The domain call is what the route awaits, `LocalRecommender.team(description, 4)` (the reading, the set cover and
each member's pick); the HTTP figure is `POST /api/team` to `bestdev serve` (uvicorn, local backend, the 10,000
pool in BESTDEV_POOL) over one keep-alive connection. Both run over the public benchmark's descriptions plus
multi-person stacks. A description's latency is its median over ROUNDS wall-clock timings; p50/p95/max are over
descriptions. Also reported: how many searches were exhaustive (the rest were bounded, see
bestdev/recommend/team.py).
Goal: p50 <= 5 ms at 10,000 developers, for POST /api/team.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import Connection, Figure, process
from bench.local_speed import percentile, synthetic_pool
from bestdev.evaluation import load_benchmark
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.team import staff
from bestdev.skills.vocabulary import load_vocabulary

SIZES = (100, 10_000)
GOALS_MS = {10_000: 5.0}  # the goal is for POST /api/team; the domain call is reported beside it
HTTP_SIZE = 10_000
LONG_POST = 30  # technologies in the worst case reported: a long job post, each a requirement
ROUNDS = 5
MAX_SIZE = 4
STACKS = (
    "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports",
    "Java, Spring Boot, Kafka and a Postgres database",
    "Requirements: Python, Django, PostgreSQL, Redis, Celery. Nice to have: Docker, Kubernetes, AWS, Terraform.",
    "A data platform on Azure: Databricks, Spark, Delta Lake, Azure Data Factory, Power BI, with dbt and Airflow.",
    "Full-stack: TypeScript, React, Next.js, Node.js, GraphQL, MongoDB, deployed on AWS Lambda with CI/CD.",
)


def measure(size: int, descriptions: list[str]) -> list[Figure]:
    recommender = LocalRecommender(synthetic_pool(size))
    long_post = (
        "Requirements: " + ", ".join(technology.name for technology in list(load_vocabulary())[:LONG_POST]) + "."
    )

    def team(description: str) -> bool:
        return staff(recommender, recommender.read(description), MAX_SIZE, recommender.backend).exact

    exact = [team(description) for description in descriptions]  # also the warm-up
    timings: list[list[float]] = [[] for _ in descriptions]
    for _ in range(ROUNDS):
        for timing, description in zip(timings, descriptions, strict=True):
            started = time.perf_counter()
            team(description)
            timing.append((time.perf_counter() - started) * 1000)
    latencies = sorted(statistics.median(timing) for timing in timings)
    label = f"{size:,} developers"
    long_exact = team(long_post)
    long_timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        team(long_post)
        long_timings.append((time.perf_counter() - started) * 1000)
    return [
        Figure(f"team p50, {label}", statistics.median(latencies), "ms"),
        Figure(
            f"team p95, {label}",
            percentile(latencies, 0.95),
            "ms",
            detail=f"max {latencies[-1]:.3f} ms over {len(descriptions)} descriptions; "
            f"{sum(exact)}/{len(exact)} searches exhaustive",
        ),
        Figure(
            f"team, a {LONG_POST}-technology post, {label}",
            statistics.median(long_timings),
            "ms",
            detail="exhaustive" if long_exact else "bounded search",
        ),
    ]


def measure_http(size: int, descriptions: list[str]) -> list[Figure]:
    """POST /api/team to `bestdev serve` answering from a synthetic pool of `size`."""
    with tempfile.TemporaryDirectory() as scratch:
        pool_file = Path(scratch) / "pool.json"
        pool_file.write_text(synthetic_pool(size).model_dump_json(), encoding="utf-8")
        with process(["bestdev", "serve"], "bestdev serve", {"BESTDEV_POOL": str(pool_file)}) as running:
            timings = asyncio.run(_post_all(running.port, descriptions))
    latencies = sorted(statistics.median(timing) for timing in timings)
    label = f"POST /api/team, {size:,} developers"
    return [
        Figure(f"p50, {label}", statistics.median(latencies), "ms", GOALS_MS.get(size)),
        Figure(f"p95, {label}", percentile(latencies, 0.95), "ms", detail=f"max {latencies[-1]:.3f} ms"),
    ]


async def _post_all(port: int, descriptions: list[str]) -> list[list[float]]:
    connection = await Connection.open(port)
    bodies = [json.dumps({"description": text, "max_size": MAX_SIZE}).encode() for text in descriptions]
    try:
        for body in bodies:  # warm-up
            status, answer = await connection.post("/api/team", body)
            if status != 200:
                raise RuntimeError(f"POST /api/team answered {status}: {answer[:200]!r}")
        timings: list[list[float]] = [[] for _ in bodies]
        for _ in range(ROUNDS):
            for timing, body in zip(timings, bodies, strict=True):
                started = time.perf_counter()
                await connection.post("/api/team", body)
                timing.append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        await connection.close()


def run() -> list[Figure]:
    descriptions = [case.description for case in load_benchmark().cases] + list(STACKS)
    figures = [figure for size in SIZES for figure in measure(size, descriptions)]
    return figures + measure_http(HTTP_SIZE, descriptions)
