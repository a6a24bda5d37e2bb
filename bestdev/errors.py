"""The root of BestDev's own errors, and the one way pydantic validation errors become a readable message.

Every error a person can act on derives from BestDevError: its message says what is wrong and names the
variable, file, entry or option; `exit_code` is what the `bestdev` command ends with when it reaches `main`,
which prints `bestdev: message` once for all of them. Where an error lives with the code that raises it
(SettingsError in settings.py, PoolError in pool.py, FineTuneError in finetune/jobs.py, ...), it still derives
from here; the classes below are the ones no single module owns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pydantic import ValidationError

Location = tuple[int | str, ...]


class BestDevError(Exception):
    """Something a person can fix or must know: the message says what; the command exits with `exit_code`."""

    exit_code: ClassVar[int] = 2


class FileError(BestDevError):
    """A file a command reads or writes cannot be used; the message names it."""


class ServiceError(BestDevError):
    """A remote service (Azure OpenAI, the management API, the Azure login) failed a step of a command."""

    exit_code: ClassVar[int] = 1


def dotted(location: Location) -> str:
    """'cases.3.expected' for a validation error's location."""
    return ".".join(str(part) for part in location)


def describe_validation(
    error: ValidationError,
    *,
    name: Callable[[Location], str] = dotted,
    limit: int | None = None,
    verbatim: bool = False,
) -> str:
    """The problems of a validation error as 'where: message; where: message'.

    `name` turns a location into the words the reader knows (a setting, a pool entry, a command-line option);
    `limit` keeps the first few problems. By default pydantic's 'Value error, ' prefix is dropped and a problem
    without a location is its message alone; `verbatim` keeps pydantic's message as it is and always writes the
    location (the benchmark and CLI option messages have always read that way).
    """
    problems = []
    for item in error.errors()[:limit]:
        where = name(item["loc"])
        message = item["msg"] if verbatim else item["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where or verbatim else message)
    return "; ".join(problems)
