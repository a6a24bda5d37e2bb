"""Every check with a file that fails it and one that passes it (the valid check set in the same format)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bestdev import template
from bestdev.dataset.check import CHECKS, check
from bestdev.dataset.check_report import render
from bestdev.dataset.fine_tunable import DataFormat
from bestdev.pool import Pool
from tests.dataset.jsonl_lines import MATCH_LINE, loads

Lines = list[str]
LINE = MATCH_LINE


def edit(lines: Lines, change: Callable[[dict[str, object]], None], index: int = LINE) -> Lines:
    value = loads(lines[index])
    change(value)
    return [*lines[:index], json.dumps(value), *lines[index + 1 :]]


def set_prompt(text: Callable[[str], str]) -> Callable[[dict[str, object]], None]:
    def change(value: dict[str, object]) -> None:
        if "messages" in value:
            value["messages"][1]["content"] = text(value["messages"][1]["content"])  # type: ignore[index]
        else:
            value["prompt"] = text(str(value["prompt"]))

    return change


def set_completion(text: Callable[[str], str]) -> Callable[[dict[str, object]], None]:
    def change(value: dict[str, object]) -> None:
        if "messages" in value:
            value["messages"][-1]["content"] = text(value["messages"][-1]["content"])  # type: ignore[index]
        else:
            value["completion"] = text(str(value["completion"]))

    return change


def set_message(index: int, **fields: object) -> Callable[[dict[str, object]], None]:
    def change(value: dict[str, object]) -> None:
        value["messages"][index].update(fields)  # type: ignore[index]

    return change


def named(name: str, skills: str) -> Callable[[str], str]:
    return lambda _: (
        f" {name}, because they have experience with {skills}, which are relevant to the project.{template.STOP}"
    )


def replace_prompt(old: str, new: str) -> Callable[[dict[str, object]], None]:
    return set_prompt(lambda text: text.replace(old, new))


def replace_completion(text: str) -> Callable[[dict[str, object]], None]:
    return set_completion(lambda _: text)


VAGUE = f" I would hire someone with lots of experience.{template.STOP}"
FREE_TEXT_SKILL = f" Bob Bobsson, because he built Kubernetes clusters.{template.STOP}"
NOBODY = template.completion(None, template.no_match_reason())
BOTH: tuple[DataFormat, ...] = ("prompt-completion", "chat")
CASES: list[tuple[str, tuple[DataFormat, ...], Callable[[Lines], Lines]]] = [
    ("blank-line", BOTH, lambda lines: [*lines[:3], "", *lines[3:]]),
    ("json", BOTH, lambda lines: [*lines, '{"prompt": "unterminated']),
    ("json", BOTH, lambda lines: [*lines, "[1, 2]"]),
    ("format", ("prompt-completion",), lambda lines: [*lines, json.dumps({"messages": [{"role": "user"}]})]),
    ("format", ("chat",), lambda lines: [*lines, json.dumps({"prompt": "p", "completion": "c"})]),
    ("keys", BOTH, lambda lines: edit(lines, lambda value: value.update(weight=1))),
    ("keys", ("prompt-completion",), lambda lines: edit(lines, lambda value: value.pop("completion"))),
    ("keys", ("chat",), lambda lines: edit(lines, set_message(1, author="me"))),
    ("keys", ("chat",), lambda lines: edit(lines, lambda value: value["messages"][1].pop("content"))),  # type: ignore[index]
    ("keys", BOTH, lambda lines: [*lines, json.dumps({"question": "who?"})]),
    ("types", ("prompt-completion",), lambda lines: edit(lines, lambda value: value.update(prompt=42))),
    ("types", ("chat",), lambda lines: edit(lines, set_message(2, content=["a", "list"]))),
    ("types", ("chat",), lambda lines: edit(lines, lambda value: value.update(messages="hello"))),
    ("roles", ("chat",), lambda lines: edit(lines, set_message(2, role="bot"))),
    ("roles", ("chat",), lambda lines: edit(lines, lambda value: value["messages"].reverse())),  # type: ignore[attr-defined]
    ("roles", ("chat",), lambda lines: edit(lines, set_message(1, role="system"))),
    ("empty", BOTH, lambda lines: edit(lines, set_completion(lambda _: "  "))),
    ("separator", BOTH, lambda lines: edit(lines, set_prompt(lambda text: text.removesuffix(template.SEPARATOR)))),
    ("separator", BOTH, lambda lines: edit(lines, set_prompt(lambda text: template.SEPARATOR + text))),
    ("stop-in-prompt", BOTH, lambda lines: edit(lines, set_prompt(lambda text: template.STOP + text))),
    ("leading-space", BOTH, lambda lines: edit(lines, set_completion(str.lstrip))),
    ("stop", BOTH, lambda lines: edit(lines, set_completion(lambda text: text.removesuffix(template.STOP)))),
    ("stop", BOTH, lambda lines: edit(lines, set_completion(lambda text: text + template.STOP))),
    ("stop", BOTH, lambda lines: edit(lines, set_completion(lambda text: text.removesuffix(">")))),
    ("system-message", ("chat",), lambda lines: edit(lines, set_message(0, content="You are a pirate."))),
    ("duplicate", BOTH, lambda lines: [*lines, lines[LINE]]),
    ("duplicate-normalized", BOTH, lambda lines: [*lines, edit(lines, replace_prompt(" ", "   "))[LINE]]),
    ("conflicting-labels", BOTH, lambda lines: [*lines, edit(lines, set_completion(named("Nina Holm", "R")))[LINE]]),
    ("min-examples", BOTH, lambda lines: lines[:9]),
    ("min-examples", BOTH, lambda lines: lines[:60]),
    ("unparsable-completion", BOTH, lambda lines: edit(lines, replace_completion(VAGUE))),
    ("name-not-in-pool", BOTH, lambda lines: edit(lines, set_completion(named("John Doe", "Python")))),
    ("name-not-in-pool", BOTH, lambda lines: edit(lines, replace_prompt("- Bob Bobsson:", "- Bob Robson:"), 0)),
    (
        "skill-not-listed",
        BOTH,
        lambda lines: edit(lines, set_completion(named("Bob Bobsson", "Python and Kubernetes"))),
    ),
    ("skill-not-listed", BOTH, lambda lines: edit(lines, replace_completion(FREE_TEXT_SKILL))),
    (
        "skill-not-listed",
        BOTH,
        lambda lines: edit(lines, replace_prompt("- Bob Bobsson: Python", "- Bob Bobsson: Rust"), 0),
    ),
    ("no-match-contradicted", BOTH, lambda lines: edit(lines, replace_completion(NOBODY))),
]


def test_every_check_has_a_case() -> None:
    assert {case[0] for case in CASES} | {"token-limit", "trainable-format"} == set(CHECKS)


@pytest.mark.parametrize(
    ("check_id", "data_format", "breaks"),
    [(check_id, fmt, breaks) for check_id, formats, breaks in CASES for fmt in formats],
    ids=[f"{check_id}-{fmt}-{index}" for index, (check_id, formats, _) in enumerate(CASES) for fmt in formats],
)
def test_a_check_fails_a_file_that_breaks_it_and_passes_the_valid_file(
    check_id: str,
    data_format: DataFormat,
    breaks: Callable[[Lines], Lines],
    lines_of: Callable[[DataFormat], Lines],
    pool: Pool,
) -> None:
    valid = lines_of(data_format)
    assert [finding for finding in check(valid, "valid", pool=pool).findings if finding.check == check_id] == []
    report = check(breaks(valid), "broken", pool=pool)
    assert report.failed(check_id), render(report)


def test_over_the_token_limit_fails_and_under_it_passes(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    lines = lines_of("prompt-completion")
    long_brief = "We need help with an old system. " * 9_000  # about 72,000 tokens, over gpt-4.1-mini's 65,536
    broken = edit(lines, set_prompt(lambda text: long_brief + text))
    report = check(broken, "long", pool=pool)
    assert [finding.line for finding in report.failed("token-limit")] == [LINE + 1]
    assert not check(lines, "short", pool=pool).failed("token-limit")
    assert check(lines, "short", pool=pool, token_limit=50).failed("token-limit")


def test_errors_and_warnings_have_severities(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    lines = lines_of("chat")
    assert [f.severity for f in check(lines[:5], "few", pool=pool).failed("min-examples")] == ["error"]
    assert [f.severity for f in check(lines[:50], "some", pool=pool).failed("min-examples")] == ["warning"]
    system = check(edit(lines, set_message(0, content="Be terse.")), "system", pool=pool)
    assert system.warnings
    assert not system.errors


def test_without_a_pool_grounding_is_skipped_and_said_so(lines_of: Callable[[DataFormat], Lines]) -> None:
    lines = edit(lines_of("chat"), set_completion(named("John Doe", "Python")))
    report = check(lines, "no pool")
    assert not report.failed("name-not-in-pool")
    assert "not checked" in render(report)


def test_the_report_reads_well(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    lines = lines_of("chat")
    broken = edit(lines, set_completion(str.lstrip))
    text = render(check(broken, "train.jsonl", pool=pool, price_per_million=2.0, epochs=2))
    assert text.splitlines()[0].startswith("train.jsonl: ")
    assert f"leading-space on 1 line ({LINE + 1})" in text
    assert "[--fix repairs]" in text
    assert "x 2 epochs" in text
    assert "USD 2.00/1M" in text
    assert text.splitlines()[-1] == "Result: FAILED with 1 error, 0 warnings"
    assert render(check(lines, "ok", pool=pool)).splitlines()[-1] == "Result: OK with 0 errors, 0 warnings"


def test_the_cost_line_bills_tokens_times_epochs(lines_of: Callable[[DataFormat], Lines], pool: Pool) -> None:
    report = check(lines_of("chat"), "chat", pool=pool, price_per_million=10.0)
    assert report.cost is not None
    assert report.model is not None
    assert report.model.name == "gpt-4.1-mini"
    assert report.cost.total_tokens == sum(report.token_counts)
    assert report.cost.billed_tokens == sum(report.token_counts) * report.cost.epochs
    assert report.cost.usd == pytest.approx(report.cost.billed_tokens * 10.0 / 1_000_000)


def test_prompt_completion_data_is_flagged_as_untrainable_and_chat_data_is_not(
    lines_of: Callable[[DataFormat], Lines], pool: Pool
) -> None:
    legacy = check(lines_of("prompt-completion"), "legacy", pool=pool)
    [finding] = legacy.failed("trainable-format")
    assert finding.severity == "warning"
    assert "build the chat files" in finding.message
    assert not check(lines_of("chat"), "chat", pool=pool).failed("trainable-format")


def test_the_fallback_table_holds_no_retired_model_and_takes_full_ids() -> None:
    from bestdev.dataset.fine_tunable import FINE_TUNABLE, fine_tunable

    assert not {"davinci-002", "babbage-002", "gpt-35-turbo"} & set(FINE_TUNABLE)
    assert fine_tunable("gpt-4.1-mini-2025-04-14") is FINE_TUNABLE["gpt-4.1-mini"]
    assert {model.data_format for model in FINE_TUNABLE.values()} == {"chat"}
