"""The two JSONL formats a dataset is written in, from one list of examples, with file names that say which."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bestdev import template
from bestdev.dataset.fine_tunable import DataFormat

ExampleKind = Literal["match", "no-match", "pool-context"]
Split = Literal["training", "validation"]
FORMATS: tuple[DataFormat, ...] = ("prompt-completion", "chat")


@dataclass(frozen=True)
class Example:
    """One training example: the prompt and completion built by the template, and what it was built from."""

    prompt: str
    completion: str
    kind: ExampleKind
    description: str | None = None
    developer: str | None = None
    source: Literal["generated", "people"] = "generated"  # people: from an exported feedback file


def record(example: Example, data_format: DataFormat) -> dict[str, object]:
    if data_format == "chat":
        return {"messages": template.chat_messages(example.prompt, example.completion)}
    return {"prompt": example.prompt, "completion": example.completion}


def file_name(split: Split, data_format: DataFormat) -> str:
    """'training.prompt-completion.jsonl', 'validation.chat.jsonl', ..."""
    return f"{split}.{data_format}.jsonl"


def dumps(value: Mapping[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_jsonl(path: Path, records: Iterable[Mapping[str, object]]) -> None:
    path.write_text("".join(f"{dumps(item)}\n" for item in records), encoding="utf-8")


def format_of(value: object) -> DataFormat | None:
    """Which format a parsed JSONL line is written in, judged by its keys; None when neither."""
    if not isinstance(value, dict):
        return None
    if "messages" in value:
        return "chat"
    if "prompt" in value or "completion" in value:
        return "prompt-completion"
    return None
