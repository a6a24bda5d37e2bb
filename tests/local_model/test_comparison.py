"""The comparison table: counts per backend and the reasons a model's answers were not used (no model needed)."""

from __future__ import annotations

from bestdev.evaluation import CaseResult, Report, metrics
from bestdev.local_model.comparison import Column, format_columns


def _report(*results: CaseResult) -> Report:
    return Report(by_category={"template": metrics(results), "overall": metrics(results)}, results=results)


def _case(answered: str, cause: str | None = None, reason: str = "") -> CaseResult:
    return CaseResult(
        id=answered,
        category="template",
        expected=("Chen Wei",),
        answered=(answered,),
        grounded=True,
        latency_ms=10.0,
        fallback_cause=cause,
        fallback_reason=reason or None,
    )


def test_the_table_counts_answers_and_groups_refusals_by_cause() -> None:
    local = Column("local recommender", _report(_case("Chen Wei"), _case("Chen Wei")), model=False)
    reasons = [(("ungrounded", f"the model claimed Go for Dev {n}"), 1) for n in range(5)]
    tuned = Column(
        "fine-tuned",
        _report(_case("Chen Wei"), _case("Chen Wei", "not_in_pool", "the model named someone who is not in the pool")),
        model=True,
        parsed=2,
        in_pool=1,
        used=1,
        own_right=1,
        refusals=((("not_in_pool", "the model named someone who is not in the pool"), 1), *reasons),
        prompt_tokens=80.0,
        completion_tokens=38.0,
        seconds_per_answer=1.5,
    )
    table = format_columns([local, tuned])
    overall = table.split("accuracy@1 by category:")[0].splitlines()
    rows = {line.split("  ")[0]: line.split() for line in overall if line.startswith(("local", "fine"))}
    assert rows["local recommender"][2:9] == ["2", "100.0%", "1.000", "-", "-", "-", "-"]
    assert rows["fine-tuned"][1:12] == ["2", "100.0%", "1.000", "100%", "50%", "50%", "50%", "0", "80", "38", "1.50"]
    assert "accuracy@1 by category:" in table
    lines = table.splitlines()
    assert "     5  ungrounded" in lines
    assert "     1  not_in_pool" in lines
    assert "        ... and 2 other reasons" in lines
