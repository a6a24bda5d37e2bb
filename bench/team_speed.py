"""Speed of staffing a team (POST /api/team's domain call) at 100 and 10,000 developers (synthetic pools).

Each request is `LocalRecommender.team(description, 4)` as the API awaits it (the reading, the set cover and each
member's pick), over the public benchmark's descriptions plus multi-person stacks. A description's latency is its
median over ROUNDS wall-clock timings; p50/p95/max are over descriptions. Also reported: how many searches were
exhaustive (the rest were bounded, see bestdev/recommend/team.py).
Goal: p50 <= 5 ms at 10,000 developers.
"""

from __future__ import annotations

import statistics
import time

from bench.harness import Figure
from bench.local_speed import percentile, synthetic_pool
from bestdev.evaluation import load_benchmark
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.team import staff

SIZES = (100, 10_000)
GOALS_MS = {10_000: 5.0}
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
    return [
        Figure(f"team p50, {label}", statistics.median(latencies), "ms", GOALS_MS.get(size)),
        Figure(
            f"team p95, {label}",
            percentile(latencies, 0.95),
            "ms",
            detail=f"max {latencies[-1]:.3f} ms over {len(descriptions)} descriptions; "
            f"{sum(exact)}/{len(exact)} searches exhaustive",
        ),
    ]


def run() -> list[Figure]:
    descriptions = [case.description for case in load_benchmark().cases] + list(STACKS)
    return [figure for size in SIZES for figure in measure(size, descriptions)]
