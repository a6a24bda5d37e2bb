"""The feedback as JSONL, one decision per line, and back: what `dataset build --feedback` and `eval --cases` read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from bestdev.feedback.errors import FeedbackFileError
from bestdev.feedback.records import Decision


def write_decisions(decisions: Iterable[Decision], out: Path) -> int:
    """Writes every decision (oldest first) through a temporary file, so a failed export leaves no half file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    count = 0
    with partial.open("w", encoding="utf-8") as file:
        for decision in decisions:
            file.write(decision.to_json() + "\n")
            count += 1
    partial.replace(out)
    return count


def read_decisions(path: Path) -> list[Decision]:
    """Every decision in an exported file; a line that is not one raises FeedbackFileError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FeedbackFileError(f"feedback {path}: cannot be read ({error})") from None
    decisions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            decisions.append(Decision.from_json(line))
        except (ValueError, KeyError, TypeError) as error:
            detail = f"missing {error}" if isinstance(error, KeyError) else str(error)
            raise FeedbackFileError(f"feedback {path}, line {number}: not an exported decision ({detail})") from None
    return decisions


def looks_like_feedback(path: Path) -> bool:
    """True when the file's first non-blank line is an exported decision (JSONL), not a benchmark (one JSON object)."""
    try:
        with path.open(encoding="utf-8") as file:
            first = next((line for line in file if line.strip()), "")
        data = json.loads(first)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and "verdict" in data and "request_id" in data
