"""Speed of the embedded recommender at 100, 10,000 and 100,000 developers (synthetic pools).

The index is built once per pool (as at app startup); each request is `outcome(description, 3)`, the call the API
makes, over the public benchmark's descriptions. A description's latency is its median over ROUNDS wall-clock
timings (robust to scheduler spikes on a shared machine); p50/p95/max are over descriptions.
Goals: p50 <= 1 ms at 10,000 and <= 10 ms at 100,000.
Memory: the pool's and the index's allocations (tracemalloc) and the process peak RSS.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
import tracemalloc

from bench.harness import Figure
from bestdev.evaluation import load_benchmark
from bestdev.pool import Developer, Pool, Project
from bestdev.recommend.local import LocalRecommender
from bestdev.skills.vocabulary import load_vocabulary

SIZES = (100, 10_000, 100_000)
GOALS_MS = {10_000: 1.0, 100_000: 10.0}
ROUNDS = 5
FIRST = ["Aino", "Bob", "Chen", "Maria", "Olli", "Priya", "Lauri", "Sofia", "Jonas", "Fatima", "Mikko", "Emma"]
LAST = ["Virtanen", "Bobsson", "Wei", "García", "Mäkinen", "Sharma", "Lehman", "Rossi", "Berg", "Al-Sayed"]


def synthetic_pool(size: int, seed: int = 7) -> Pool:
    """Developers with 4-9 skills drawn with Zipf-like popularity (a few very common ones, a long tail),
    1-3 projects using some of them, and now and then an in-house tool the vocabulary does not know."""
    rng = random.Random(seed)
    names = [technology.name for technology in load_vocabulary()]
    rng.shuffle(names)
    weights = [1 / (rank + 1) for rank in range(len(names))]
    developers = []
    for number in range(size):
        skills = list(dict.fromkeys(rng.choices(names, weights, k=rng.randint(4, 9))))
        if rng.random() < 0.05:
            skills.append(f"In-house Tool {rng.randrange(500)}")
        projects = [
            Project(name=f"Project {number}-{p}", technologies=rng.sample(skills, min(len(skills), rng.randint(1, 3))))
            for p in range(rng.randint(1, 3))
        ]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number:06d}"
        developers.append(Developer(name=name, title="Developer", skills=skills, projects=projects))
    return Pool(company="Synthetic", developers=developers)


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))]


def measure(size: int, descriptions: list[str]) -> list[Figure]:
    """Build the index for a synthetic pool of `size`, then time `outcome(description, 3)` per description."""
    tracemalloc.start()
    pool = synthetic_pool(size)
    pool_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    started = time.perf_counter()
    recommender = LocalRecommender(pool)
    build_seconds = time.perf_counter() - started
    tracemalloc.start()
    LocalRecommender(pool)
    index_bytes = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    for description in descriptions:  # warm-up
        recommender.outcome(description, 3)
    timings: list[list[float]] = [[] for _ in descriptions]
    for _ in range(ROUNDS):
        for timing, description in zip(timings, descriptions, strict=True):
            started = time.perf_counter()
            recommender.outcome(description, 3)
            timing.append((time.perf_counter() - started) * 1000)
    latencies = sorted(statistics.median(timing) for timing in timings)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = f"{size:,} developers"
    return [
        Figure(f"p50 per request, {label}", statistics.median(latencies), "ms", GOALS_MS.get(size)),
        Figure(
            f"p95 per request, {label}",
            percentile(latencies, 0.95),
            "ms",
            detail=f"max {latencies[-1]:.3f} ms over {len(descriptions)} descriptions",
        ),
        Figure(
            f"index build, {label}",
            build_seconds,
            "s",
            detail=f"pool {pool_bytes / 2**20:.1f} MiB, index {index_bytes / 2**20:.1f} MiB (tracemalloc), "
            f"process peak RSS so far {peak_rss:.0f} MiB",
        ),
    ]


def run() -> list[Figure]:
    descriptions = [case.description for case in load_benchmark().cases]
    return [figure for size in SIZES for figure in measure(size, descriptions)]
