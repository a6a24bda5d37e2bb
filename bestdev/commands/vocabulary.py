"""`bestdev vocabulary`: regenerate (or check) the vocabulary index the recommender loads at startup."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bestdev.commands.common import Subcommands
from bestdev.errors import BestDevError, FileError


class StaleIndex(BestDevError):
    """`vocabulary --check` found the index out of step with the TOML: exit 1, apart from unusable files (2)."""

    exit_code = 1


def register(commands: Subcommands) -> None:
    vocabulary = commands.add_parser(
        "vocabulary", help="regenerate the vocabulary index from technologies.toml (run after editing it)"
    )
    vocabulary.add_argument("--check", action="store_true", help="only report whether the index is up to date")
    vocabulary.add_argument("--toml", type=Path, help="vocabulary file (default: the bundled technologies.toml)")
    vocabulary.add_argument("--index", type=Path, help="index file (default: the bundled vocabulary_index.json)")
    vocabulary.set_defaults(command=_vocabulary)


def _vocabulary(args: argparse.Namespace) -> int:
    from bestdev.skills.vocabulary import VOCABULARY_FILE
    from bestdev.skills.vocabulary_index import INDEX_FILE, REGENERATE, stale, write

    toml, index = args.toml or VOCABULARY_FILE, args.index or INDEX_FILE
    try:
        if args.check:
            problem = stale(index, toml)
            if problem:
                raise StaleIndex(f"{problem}; run `{REGENERATE}`")
            print(f"{index} is up to date with {toml}")
            return 0
        write(index, toml)
    except (OSError, json.JSONDecodeError) as error:
        raise FileError(str(error)) from None
    print(f"wrote {index} from {toml}")
    return 0
