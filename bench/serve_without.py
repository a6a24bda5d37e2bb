"""`python -m bench.serve_without --without warm-up,rehearsal --port N`: `bestdev serve` with startup pieces left out,
so bench.startup_pieces can time what each one earns the first request."""

from __future__ import annotations

import argparse

PIECES = ("warm-up", "rehearsal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--without", default="", help=f"comma-separated, of {', '.join(PIECES)}")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    left_out = {piece for piece in args.without.split(",") if piece}
    if unknown := left_out - set(PIECES):
        parser.error(f"unknown pieces: {', '.join(sorted(unknown))}")
    from bestdev.api import startup
    from bestdev.cli import main as bestdev
    from bestdev.model.fine_tuned import FineTunedModel

    async def nothing(*_args: object) -> None:
        return None

    if "warm-up" in left_out:
        FineTunedModel.warm_up = nothing  # type: ignore[method-assign]
    if "rehearsal" in left_out:
        startup._rehearse = nothing  # type: ignore[assignment]
    raise SystemExit(bestdev(["serve", "--port", str(args.port)]))


if __name__ == "__main__":
    main()
