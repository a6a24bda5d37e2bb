"""What the subcommands share: where local settings live, and argument types."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from bestdev.errors import BestDevError

LOCAL_SETTINGS = Path("local.settings.json")

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be a number of at least 0, not {text}")
    return value


class UsageError(BestDevError):
    """The command line asks for something that does not fit together (an option the command does not use, or
    two inputs at once): exit 2, as argparse does for its own usage errors."""


def not_applicable(option: str, reason: str) -> UsageError:
    return UsageError(f"{option} does not apply here: {reason}")
