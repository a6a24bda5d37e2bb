"""The local recommender on the longest descriptions the API accepts (4,000 characters), in the shapes that cost
the reading most: a long list of technologies, prose full of cues, a posting with headings, a line of tags, and
one ambiguous word repeated. Each figure is the median over ROUNDS of the CPU time of `outcome(description, 3)` on
the bundled pool (CPU time, so that other work on a shared machine does not count).
Before the reading decided context by neighbours and per-sentence counts, the worst of these took seconds.
"""

from __future__ import annotations

import statistics
import time

from bench.harness import Figure
from bestdev.api.schemas import MAX_DESCRIPTION
from bestdev.pool import load_pool
from bestdev.recommend.local import LocalRecommender

ROUNDS = 5
GOAL_MS = 50.0
NAMES = ["Python", "go", "Rust", "React", "Docker", "Kubernetes", "AWS", "Azure", "Java", "Kafka", "spark", "node"]
SHAPES = {
    "list of technologies": ", ".join(NAMES * 40),
    "prose with cues": "We need a senior Go developer. Experience with React is a plus. Nice to have: Redis. " * 60,
    "posting with headings": "Requirements:\n- Java\n- Spring Boot\n\nNice to have\n- Kafka\n- Docker\n" * 70,
    "line of tags": "Title\n" + "java python go rust " * 250,
    "one ambiguous word": "go " * 1500,
}


def run() -> list[Figure]:
    recommender = LocalRecommender(load_pool())
    figures = []
    for shape, text in SHAPES.items():
        description = text[:MAX_DESCRIPTION]
        timings = []
        for _ in range(ROUNDS):
            started = time.process_time()
            recommender.outcome(description, 3)
            timings.append((time.process_time() - started) * 1000)
        figures.append(Figure(f"4,000 characters: {shape}", statistics.median(timings), "ms", GOAL_MS, ""))
    return figures
