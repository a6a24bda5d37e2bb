"""The `bestdev` command: serve the API and run the data, training and evaluation tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bestdev.commands import dataset, evaluate, feedback, finetune, recommend, serve, vocabulary
from bestdev.pool import PoolError
from bestdev.settings import SettingsError

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except (SettingsError, PoolError) as error:
        print(f"bestdev: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bestdev", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for command in (serve, recommend, evaluate, dataset, finetune, vocabulary, feedback):
        command.register(commands)
    return parser
