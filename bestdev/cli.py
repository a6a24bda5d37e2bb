"""The `bestdev` command: serve the API and run the data, training and evaluation tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bestdev.commands import (
    dataset,
    evaluate,
    feedback,
    finetune,
    local_model,
    pool,
    recommend,
    serve,
    smoke,
    vocabulary,
)
from bestdev.errors import BestDevError

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except BestDevError as error:  # the one place a command's error becomes a message and an exit code
        print(f"bestdev: {error}", file=sys.stderr)
        return error.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bestdev", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for command in (serve, recommend, evaluate, dataset, finetune, local_model, vocabulary, feedback, pool, smoke):
        command.register(commands)
    return parser
