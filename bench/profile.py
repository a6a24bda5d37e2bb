"""Where a served request spends its time: `python -m bench.profile [--seconds 20] [--top 40] [--concurrent N]`.

Starts the fake model and `bestdev serve` as the overhead benchmark does (one request at a time, the model
answering at once) or, with --concurrent N, as the concurrency benchmark does (N requests at once, the model
taking its 200 ms), attaches py-spy to the serve process while requests run, and prints the frames with the
most samples (own time, then inclusive time). Idle waiting (the event loop's select, idle worker threads) is
left out.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench import concurrency, overhead
from bench.harness import Connection, fake_model, recommend_body, run_loop, serve

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


async def _concurrent_rounds(port: int, count: int, start: Callable[[], subprocess.Popen[bytes]]) -> None:
    """Rounds of `count` requests at once on warm connections, as in the concurrency benchmark: one round to open
    the connections (the app's to the model too), then py-spy starts, then rounds until it ends."""
    import asyncio

    connections = list(await asyncio.gather(*(Connection.open(port) for _ in range(count))))
    body = recommend_body()
    try:
        await concurrency.app_round(connections, port, body)
        spy = start()
        while spy.poll() is None:
            await concurrency.app_round(connections, port, body)
    finally:
        await asyncio.gather(*(connection.close() for connection in connections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--concurrent", type=int, default=0, help="drive N requests at once (the concurrency load)")
    parser.add_argument("--save", type=Path, help="also keep py-spy's collapsed stacks in this file")
    parser.add_argument(
        "--nonblocking",
        action="store_true",
        help="sample without pausing serve (under --concurrent, pausing it stretches a round several times over)",
    )
    args = parser.parse_args()
    delay = concurrency.MODEL_DELAY if args.concurrent else 0.0
    with tempfile.TemporaryDirectory() as scratch, fake_model(delay) as model_url, serve(model_url) as served:
        output = Path(scratch) / "profile.txt"
        py_spy = str(Path(sys.executable).with_name("py-spy"))
        record = ["record", "--pid", str(served.pid), "--duration", str(args.seconds), "--rate", "500"]
        record += ["--nonblocking"] if args.nonblocking else []

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [py_spy, *record, "--format", "raw", "--output", str(output)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        if args.concurrent:
            run_loop(_concurrent_rounds(served.port, args.concurrent, start))
        else:
            spy = start()
            while spy.poll() is None:
                run_loop(overhead.measure(served.port, model_url, rounds=500))
        own, inclusive, total = frames(output)
        if args.save:
            shutil.copyfile(output, args.save)
    print(f"{total} busy samples in the serve process")
    for title, counter in (("own time", own), ("inclusive time", inclusive)):
        print(f"\n--- {title}")
        for name, samples in counter.most_common(args.top):
            print(f"{samples / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
