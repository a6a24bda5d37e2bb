"""Runs the tests' fake model server (tests/fakes) in its own process: `python -m bench.fake_model --port N`.

Every answer is the fake's default reply, delayed by --delay seconds. Benchmarks start it with
`bench.harness.fake_model`, so the fake never shares a CPU-bound event loop with what is being measured.
"""

from __future__ import annotations

import argparse
import dataclasses

import uvicorn

from tests.fakes.openai_model import FakeModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every answer")
    args = parser.parse_args()
    fake = FakeModel()
    fake.calls = _NoRecord()
    if args.delay:
        assert not callable(fake.default)
        fake.default = dataclasses.replace(fake.default, delay=args.delay)
    uvicorn.run(
        fake.app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        backlog=4096,
        timeout_keep_alive=60,
    )


class _NoRecord(list):  # type: ignore[type-arg]
    """The fake records every call for tests; a benchmark sends tens of thousands, so keep none."""

    def append(self, _item: object) -> None:
        return None


if __name__ == "__main__":
    main()
