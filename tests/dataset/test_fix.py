from __future__ import annotations

import json
from collections.abc import Callable

from bestdev import template
from bestdev.dataset.check import check
from bestdev.dataset.fine_tunable import DataFormat
from bestdev.dataset.fix import fix, repair_completion, repair_prompt
from bestdev.pool import Pool
from tests.dataset.jsonl_lines import MATCH_LINE, loads

Lines = list[str]
SEP, STOP = template.SEPARATOR, template.STOP


def test_repairs_are_mechanical() -> None:
    assert repair_prompt("Who fits?") == f"Who fits?{SEP}"
    assert repair_prompt("Who fits?\n\n###") == f"Who fits?{SEP}"
    assert repair_prompt(f"Who fits?{SEP}\n") == f"Who fits?{SEP}"
    assert repair_prompt(f"Who{SEP}fits?") == f"Who{SEP}fits?"  # a separator mid-prompt needs a human
    assert repair_completion("Bob Bobsson.") == f" Bob Bobsson.{STOP}"
    assert repair_completion(" Bob Bobsson.<END_OUTPUT") == f" Bob Bobsson.{STOP}"
    assert repair_completion(f"\nBob Bobsson.{STOP} ") == f" Bob Bobsson.{STOP}"
    assert repair_completion(f" Bob{STOP} and Kim{STOP}") == f" Bob{STOP} and Kim{STOP}"


def test_fix_repairs_and_drops_duplicates_keeping_labels(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    valid = lines_of("prompt-completion")
    broken = list(valid)
    first = loads(valid[MATCH_LINE])
    broken[MATCH_LINE] = json.dumps(
        {"prompt": str(first["prompt"]).removesuffix(SEP), "completion": str(first["completion"]).lstrip()}
    )
    second = loads(valid[MATCH_LINE + 1])
    broken[MATCH_LINE + 1] = json.dumps({**second, "completion": str(second["completion"]).removesuffix(">")})
    broken += ["", valid[2], valid[3].replace(" ", "  ")]
    assert check(broken, "broken", pool=pool).errors

    result = fix(broken)
    assert result.lines == valid
    assert result.repairs == {"separator": 1, "leading-space": 1, "stop": 1}
    assert result.dropped == {"blank-line": 1, "duplicate": 2}
    assert check(result.lines, "fixed", pool=pool).errors == []


def test_fix_repairs_chat_messages(lines_of: Callable[[DataFormat], Lines]) -> None:
    valid = lines_of("chat")
    value = loads(valid[MATCH_LINE])
    messages = value["messages"]
    assert isinstance(messages, list)
    messages[1]["content"] = messages[1]["content"].removesuffix(SEP)
    messages[2]["content"] = messages[2]["content"].removesuffix(STOP)
    result = fix([*valid[:MATCH_LINE], json.dumps(value), *valid[MATCH_LINE + 1 :]])
    assert loads(result.lines[MATCH_LINE]) == loads(valid[MATCH_LINE])


def test_fix_leaves_what_needs_a_human(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    valid = lines_of("prompt-completion")
    value = loads(valid[MATCH_LINE])
    other = json.dumps({**value, "completion": f" John Doe, because they have experience with Python.{STOP}"})
    broken = [*valid, other, "not json"]
    result = fix(broken)
    assert result.lines == broken  # a conflicting label and a broken line are copied, not decided
    remaining = {finding.check for finding in check(result.lines, "fixed", pool=pool).errors}
    assert remaining == {"conflicting-labels", "name-not-in-pool", "json"}
