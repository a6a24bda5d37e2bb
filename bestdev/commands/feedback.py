"""`bestdev feedback export|prune`: the feedback store, from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands, positive_int


def register(commands: Subcommands) -> None:
    feedback = commands.add_parser("feedback", help="export or prune the feedback store").add_subparsers(
        required=True, metavar="ACTION"
    )
    export = feedback.add_parser("export", help="write every decision as JSONL (one per line, oldest first)")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the JSONL file to write")
    export.set_defaults(command=_export)
    prune = feedback.add_parser("prune", help="delete answers and decisions older than the retention period")
    prune.add_argument(
        "--days", type=positive_int, metavar="N", help="retention in days (default: BESTDEV_FEEDBACK_DAYS, else 30)"
    )
    prune.set_defaults(command=_prune)


def _export(args: argparse.Namespace) -> int:
    from bestdev.errors import FileError
    from bestdev.feedback.export import write_decisions
    from bestdev.feedback.factory import build_store
    from bestdev.settings import load_settings

    store = build_store(load_settings(local_settings=LOCAL_SETTINGS))
    try:
        count = write_decisions(store.decisions(), args.out)
    except OSError as error:
        raise FileError(f"{args.out}: cannot be written ({error.strerror or error})") from None
    finally:
        store.close()
    print(f"wrote {count} decisions from {store.description} to {args.out}")
    return 0


def _prune(args: argparse.Namespace) -> int:
    from bestdev.feedback.capture import prune
    from bestdev.feedback.factory import build_store
    from bestdev.settings import load_settings

    settings = load_settings(local_settings=LOCAL_SETTINGS)
    days = args.days or settings.feedback_days
    store = build_store(settings)
    try:
        deleted = prune(store, days)
    finally:
        store.close()
    print(f"deleted {deleted} entries older than {days} days from {store.description}")
    return 0
