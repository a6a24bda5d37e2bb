"""Building the local recommender for the bundled pool, as app startup does, in fresh interpreters.

Each run is a new interpreter that imports the modules first (their import is cold start's figure), then times
`LocalRecommender(pool)` and its first and second `outcome(description, 3)`. Runs alternate between the
startup path (the generated vocabulary index, see bestdev/skills/vocabulary_index.py) and deriving everything
from technologies.toml (what startup did before the index). Figures are medians over RUNS.
Goal: the build <= 10 ms; the first answer no slower than when deriving from the TOML.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import Figure, clean_env, median

RUNS = 11
BUILD_GOAL_MS = 10.0
DESCRIPTION = "A React Native app with Firebase for a coffee chain's loyalty programme"
CODE = """
import json, sys, time
from bestdev.pool import load_pool
from bestdev.recommend.local import LocalRecommender
from bestdev.skills.vocabulary import load_vocabulary
from bestdev.skills.vocabulary_index import bundled_index

pool, derive = load_pool(), sys.argv[1] == "toml"
started = time.perf_counter()
recommender = LocalRecommender(pool, load_vocabulary() if derive else None)
built = time.perf_counter()
recommender.outcome(sys.argv[2], 3)
first = time.perf_counter()
recommender.outcome(sys.argv[2], 3)
second = time.perf_counter()
print(json.dumps([(built - started) * 1000, (first - built) * 1000, (second - first) * 1000]))
"""


def timings(way: str) -> list[float]:
    """Build, first and second outcome in ms, in one fresh interpreter building `way` ("index" or "toml")."""
    done = subprocess.run(
        [sys.executable, "-c", CODE, way, DESCRIPTION], env=clean_env(), capture_output=True, text=True, check=True
    )
    values: list[float] = json.loads(done.stdout)
    return values


def run() -> list[Figure]:
    runs: dict[str, list[list[float]]] = {"index": [], "toml": []}
    for _ in range(RUNS):
        for way, results in runs.items():
            results.append(timings(way))
    index, toml = ([median([r[i] for r in runs[way]]) for i in range(3)] for way in ("index", "toml"))
    return [
        Figure(
            "recommender build, bundled pool (fresh interpreter)",
            index[0],
            "ms",
            BUILD_GOAL_MS,
            detail=f"deriving from technologies.toml instead: {toml[0]:.1f} ms ({toml[0] / index[0]:.0f}x)",
        ),
        Figure(
            "first outcome after the build",
            index[1],
            "ms",
            detail=f"then {index[2]:.3f} ms; deriving from the TOML: first {toml[1]:.3f}, then {toml[2]:.3f} ms",
        ),
    ]
