"""`python -m bench [NAME ...] [--markdown]`: run the benchmarks (all by default) and print one table."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.harness import Figure

HELPERS = {"harness", "fake_model", "profile", "serve_without", "minimal_function_app"}


def available() -> list[str]:
    """Every module in bench/ that defines run(), in file-name order."""
    names = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_") or info.name in HELPERS:
            continue
        if callable(getattr(importlib.import_module(f"bench.{info.name}"), "run", None)):
            names.append(info.name)
    return sorted(names)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def table(figures: Sequence[tuple[str, Figure]], markdown: bool) -> str:
    rows = [("benchmark", "figure", "value", "goal", "met", "detail")]
    for module, figure in figures:
        value = f"{figure.value:.3f}" if isinstance(figure.value, float) else str(figure.value)
        if figure.unit:
            value += f" {figure.unit}"
        goal = "" if figure.goal is None else f"<= {figure.goal:g}"
        met = {None: "", True: "yes", False: "NO"}[figure.met]
        rows.append((module, figure.name, value, goal, met, figure.detail))
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "|".join(" --- " for _ in rows[0]) + "|")
        return "\n".join(lines)
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


def main(argv: Sequence[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all of {names})")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {names}")
    print(f"machine: {machine()}; load average at start {load()}", file=sys.stderr)
    figures: list[tuple[str, Figure]] = []
    for name in args.names or names:
        started = time.monotonic()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results = importlib.import_module(f"bench.{name}").run()
        figures.extend((name, figure) for figure in results)
        print(f"  {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    print(f"load average at end {load()}", file=sys.stderr)
    print(table(figures, args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
