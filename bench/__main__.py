"""Run every benchmark module in bench/ (each exposes `main() -> None`), or only those named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(info.name for info in pkgutil.iter_modules([str(here)]) if not info.name.startswith("_"))
    chosen = [name for name in names if not argv or name in argv]
    unknown = sorted(set(argv) - set(names))
    if unknown:
        print(f"bench: no benchmark named {', '.join(unknown)} (have: {', '.join(names)})", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
