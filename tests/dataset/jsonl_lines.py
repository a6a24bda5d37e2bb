"""Small helpers for tests that read and write JSONL lines."""

from __future__ import annotations

import json

from bestdev.dataset.fine_tunable import DataFormat
from bestdev.dataset.formats import Example, dumps, record

MATCH_LINE = 5  # index of a match example in lines_of() (index 0 is the pool context example)


def as_lines(examples: list[Example], data_format: DataFormat) -> list[str]:
    return [dumps(record(example, data_format)) for example in examples]


def loads(line: str) -> dict[str, object]:
    value = json.loads(line)
    assert isinstance(value, dict)
    return value
