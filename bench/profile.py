"""Where a served request spends its time: `python -m bench.profile [--seconds 20] [--top 40]`.

Starts the fake model and `bestdev serve` as the overhead benchmark does, attaches py-spy to the serve
process while requests run, and prints the frames with the most samples (own time, then inclusive time).
Idle waiting (the event loop's select, idle worker threads) is left out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.harness import fake_model, run_loop, serve
from bench.overhead import measure

IDLE = re.compile(r"select \(selectors|EpollSelector\.select|_worker \(concurrent/futures|Thread\._bootstrap")


def frames(collapsed: Path) -> tuple[Counter[str], Counter[str], int]:
    """Own and inclusive samples per frame from py-spy's collapsed-stack output."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if IDLE.search(stack):
            continue
        samples = int(count)
        total += samples
        names = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        own[names[-1]] += samples
        for name in set(names):
            inclusive[name] += samples
    return own, inclusive, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, fake_model() as model_url, serve(model_url) as served:
        output = Path(scratch) / "profile.txt"
        py_spy = str(Path(sys.executable).with_name("py-spy"))
        record = ["record", "--pid", str(served.pid), "--duration", str(args.seconds), "--rate", "500"]
        spy = subprocess.Popen(
            [py_spy, *record, "--format", "raw", "--output", str(output)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while spy.poll() is None:
            run_loop(measure(served.port, model_url, rounds=500))
        own, inclusive, total = frames(output)
    print(f"{total} busy samples in the serve process")
    for title, counter in (("own time", own), ("inclusive time", inclusive)):
        print(f"\n--- {title}")
        for name, samples in counter.most_common(args.top):
            print(f"{samples / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
