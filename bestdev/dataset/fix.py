"""`dataset check --fix`: a repaired copy where the repair is mechanical, never touching a label.

Repairs: a missing separator, stop token or leading space is added (completing a truncated '###' or
'<END_OUTPUT'), whitespace after them is cut, blank lines and duplicates (exact or but for whitespace) are
dropped, keeping the first. Anything else is copied as it is, for a human to decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bestdev import template
from bestdev.dataset.check import ParsedLine, parse_line
from bestdev.dataset.formats import dumps

SEPARATOR_MARK = template.SEPARATOR.strip()


@dataclass
class FixResult:
    lines: list[str]
    repairs: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)


def repair_prompt(text: str) -> str:
    count = text.count(template.SEPARATOR)
    if count == 1 and not text.split(template.SEPARATOR, 1)[1].strip():
        return text.split(template.SEPARATOR, 1)[0] + template.SEPARATOR
    if count == 0:
        base = text.rstrip()
        return base.removesuffix(SEPARATOR_MARK).rstrip() + template.SEPARATOR
    return text


def repair_completion(text: str) -> str:
    if not text.startswith(" "):
        text = " " + text.lstrip()
    count = text.count(template.STOP)
    if count == 1 and not text.split(template.STOP, 1)[1].strip():
        return text.split(template.STOP, 1)[0] + template.STOP
    if count == 0:
        base = text.rstrip()
        partial = next(
            (size for size in range(len(template.STOP) - 1, 1, -1) if base.endswith(template.STOP[:size])), 0
        )
        return base[: len(base) - partial] + template.STOP
    return text


def _repaired(line: ParsedLine, repairs: Counter[str]) -> dict[str, object]:
    def prompt(text: str) -> str:
        fixed = repair_prompt(text)
        repairs["separator"] += fixed != text
        return fixed

    def completion(text: str) -> str:
        fixed = repair_completion(text)
        repairs["leading-space"] += not text.startswith(" ") and fixed.startswith(" ")
        repairs["stop"] += fixed.lstrip() != text.lstrip()
        return fixed

    if not line.messages:
        return {"prompt": prompt(line.prompts[0]), "completion": completion(line.completions[0])}
    mend = {"user": prompt, "assistant": completion}
    messages = [
        {**message, "content": mend[str(message["role"])](str(message["content"]))}
        if message["role"] in mend
        else message
        for message in line.messages
    ]
    return {**line.value, "messages": messages}


def fix(lines: Sequence[str]) -> FixResult:
    result = FixResult(lines=[])
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            result.dropped["blank-line"] += 1
            continue
        parsed = parse_line(number, raw)
        if isinstance(parsed, list):
            result.lines.append(raw.rstrip("\n"))
            continue
        value = _repaired(parsed, result.repairs)
        repaired = parse_line(number, dumps(value))
        assert not isinstance(repaired, list), "a repair broke an example's structure"
        if repaired.normalized_key in seen:
            result.dropped["duplicate"] += 1
            continue
        seen.add(repaired.normalized_key)
        result.lines.append(raw.rstrip("\n") if value == parsed.value else dumps(value))
    return result
