"""The promotion gate's pieces without Azure: a validation split read as benchmark cases, and the decision on
reports (the whole gate runs against the fake Azure in tests/commands/test_serving_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bestdev import template
from bestdev.evaluation import CaseResult, Report, metrics
from bestdev.promotion import CANDIDATE, LOCAL, SERVING, Decision, PromotionError, SuiteResult, cases_from_split


def example(user: str, assistant: str) -> str:
    return json.dumps({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]})


def test_a_split_gives_one_case_per_recommendation_example(tmp_path: Path) -> None:
    split = tmp_path / "validation.chat.jsonl"
    lines = [
        example(template.pool_context_prompt("Acme", [("Chen Wei", ["React"])]), template.pool_context_completion()),
        example(template.prompt("Acme", "A React Native app"), template.completion("Chen Wei", "They know React.")),
        "",
        example(template.prompt("Acme", "A COBOL mainframe"), template.completion(None, template.no_match_reason())),
    ]
    split.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cases = cases_from_split(split).cases
    assert [(case.description, case.expected) for case in cases] == [
        ("A React Native app", ["Chen Wei"]),
        ("A COBOL mainframe", []),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json\n", ":1: not a chat example"),
        (json.dumps({"messages": [{"role": "user", "content": "x"}]}) + "\n", ":1: not a chat example"),
        (example("Tell me a joke", " Chen Wei, because.<END_OUTPUT>") + "\n", "no recommendation examples"),
    ],
)
def test_an_unusable_split_is_named(tmp_path: Path, text: str, message: str) -> None:
    split = tmp_path / "valid.jsonl"
    split.write_text(text, encoding="utf-8")
    with pytest.raises(PromotionError, match=message):
        cases_from_split(split)


def test_a_missing_split_is_named(tmp_path: Path) -> None:
    with pytest.raises(PromotionError, match="cannot be read"):
        cases_from_split(tmp_path / "missing.jsonl")


def report(hits: int, cases: int = 4) -> Report:
    results = tuple(
        CaseResult(f"c{n}", "public", ("Ann",), ("Ann",) if n < hits else ("Bob",), True, 1.0) for n in range(cases)
    )
    return Report(by_category={"public": metrics(results), "overall": metrics(results)}, results=results)


def test_the_candidate_must_not_lose_on_any_suite_against_the_serving_model() -> None:
    decision = Decision(SERVING)
    decision.results.append(SuiteResult("public", {CANDIDATE: report(3), SERVING: report(3), LOCAL: report(4)}))
    assert decision.not_worse  # a tie with what serves is enough; the local recommender is reported, not required
    decision.results.append(SuiteResult("feedback", {CANDIDATE: report(1), SERVING: report(2), LOCAL: report(2)}))
    assert decision.worse_on == ["feedback"]
    text = decision.report()
    assert "## feedback" in text
    assert "decision: the candidate is worse on feedback" in text
    assert json.loads(decision.to_json())["worse_on"] == ["feedback"]
