"""`bestdev eval --cases FEEDBACK` and `--compare`: people's decisions as cases, the local recommender and the
fine-tuned model (the fake, over HTTP) side by side, naming the better backend per category."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bestdev.cli import main
from bestdev.evaluation import EvaluationError
from bestdev.feedback.cases import cases_from_feedback
from bestdev.feedback.export import write_decisions
from bestdev.feedback.records import Decision, Verdict, decision_id
from bestdev.pool import Pool
from bestdev.recommend.local import LocalRecommender
from tests.conftest import DEPLOYMENT
from tests.fakes.openai_model import FakeModel, Reply

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
# Descriptions naming skills several developers share: the local ranking's second pick is who people wanted
# for the "chosen" ones, its first for the "good" ones.
CHOSEN = ["A web shop in TypeScript", "Python data pipelines on Azure", "A Kubernetes platform with Terraform"]
GOOD = ["A React front end in TypeScript", "Machine learning in Python"]


def decided(number: int, description: str, developer: str, verdict: Verdict) -> Decision:
    return Decision(
        id=decision_id(f"req-{number}", developer.casefold()),
        request_id=f"req-{number}",
        description=description,
        developer=developer,
        verdict=verdict,
        note=None,
        backend="local",
        answered=(developer,),
        created_at=START + timedelta(minutes=number),
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no local.settings.json
    return tmp_path


@pytest.fixture
def people(pool: Pool, local: LocalRecommender) -> tuple[list[Decision], dict[str, str]]:
    """The decisions, and the answer the fake model gives for each description (with a skill the pool lists)."""
    decisions, model_answers = [], {}
    for number, description in enumerate([*CHOSEN, *GOOD]):
        ranked = local.rank(description, 3)
        assert len(ranked) >= 2, description
        first, second = ranked[0], ranked[1]
        if description in CHOSEN:
            decisions.append(decided(number, description, second.name, "chosen"))
            decisions.append(decided(number + 100, description, first.name, "wrong"))
        else:
            decisions.append(decided(number, description, first.name, "good"))
        # the "new model" learned people's choice on CHOSEN, and prefers the runner-up everywhere
        model_answers[description] = f" {second.name}, because they have experience with {second.matched_skills[0]}."
    return decisions, model_answers


def test_feedback_becomes_cases_with_people_s_picks_expected(pool: Pool, people: tuple[list[Decision], Any]) -> None:
    decisions, _ = people
    benchmark = cases_from_feedback(decisions, pool, "feedback.jsonl")
    by_description = {case.description: case for case in benchmark.cases}
    assert set(by_description) == {*CHOSEN, *GOOD}
    for description in CHOSEN:
        case = by_description[description]
        chosen = [d.developer for d in decisions if d.description == description and d.verdict == "chosen"]
        assert (case.category, case.expected) == ("chosen", chosen)
    assert {by_description[description].category for description in GOOD} == {"good"}


def test_feedback_with_no_usable_decision_is_a_clear_error(pool: Pool) -> None:
    with pytest.raises(EvaluationError, match="no chosen or good decisions"):
        cases_from_feedback([decided(1, "Go", "Mikko Heikkinen", "wrong")], pool, "f.jsonl")


@pytest.fixture
def model_environment(fake_model_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in {
        "AZURE_OPENAI_ENDPOINT": fake_model_url,
        "AZURE_OPENAI_DEPLOYMENT": DEPLOYMENT,
        "AZURE_OPENAI_API_KEY": "test-key",
        "BESTDEV_MODEL_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(variable, value)


def test_compare_names_the_better_backend_per_category(
    workdir: Path,
    people: tuple[list[Decision], dict[str, str]],
    fake_model: FakeModel,
    model_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    decisions, model_answers = people
    feedback = workdir / "feedback.jsonl"
    write_decisions(decisions, feedback)

    def answer(body: dict[str, Any]) -> Reply:
        prompt = body["messages"][-1]["content"]
        return Reply.answer(next(text for description, text in model_answers.items() if description in prompt))

    monkeypatch.setattr(fake_model, "default", answer)
    out = workdir / "compare.json"
    assert main(["eval", "--cases", str(feedback), "--compare", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert len(fake_model.calls) == len(CHOSEN) + len(GOOD)
    assert "== local (answered 5 by local)" in printed
    assert f"== azure-openai ({DEPLOYMENT}) (answered 5 by azure-openai)" in printed
    rows = {line.split()[0]: line for line in printed.split("== difference")[1].splitlines()[3:]}
    assert rows["chosen"].endswith(f"azure-openai ({DEPLOYMENT})")
    assert "+100.0%" in rows["chosen"]
    assert rows["good"].endswith("local")
    assert "-100.0%" in rows["good"]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["local"]["metrics"]["chosen"]["accuracy_at_1"] == 0.0
    assert report["azure-openai"]["metrics"]["chosen"]["accuracy_at_1"] == 1.0
    assert report["azure-openai"]["metrics"]["overall"]["grounded_share"] == 1.0


def test_compare_needs_the_fine_tuned_model(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--compare"]) == 2
    assert "AZURE_OPENAI_ENDPOINT" in capsys.readouterr().err


def test_compare_on_the_bundled_benchmark_with_a_failing_model_counts_the_fallbacks(
    workdir: Path,
    fake_model: FakeModel,
    model_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(fake_model, "default", Reply.error(503, "unavailable"))
    assert main(["eval", "--compare"]) == 0
    printed = capsys.readouterr().out
    assert f"== azure-openai ({DEPLOYMENT}) (answered " in printed
    model_header = next(line for line in printed.splitlines() if line.startswith("== azure-openai"))
    assert "by local" in model_header, "every case fell back to the local recommender"
    assert "overall" in printed.split("== difference")[1]


def test_eval_runs_exported_feedback_as_cases_on_the_configured_backend(
    workdir: Path, people: tuple[list[Decision], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    decisions, _ = people
    feedback = workdir / "feedback.jsonl"
    write_decisions(decisions, feedback)
    out = workdir / "report.json"
    assert main(["eval", "--cases", str(feedback), "--json", str(out)]) == 0
    assert "5 cases, 32 developers, backend local" in capsys.readouterr().out
    metrics = json.loads(out.read_text(encoding="utf-8"))["metrics"]
    assert (metrics["chosen"]["cases"], metrics["good"]["cases"]) == (3, 2)
    assert metrics["chosen"]["accuracy_at_1"] == 0.0  # people chose the local ranking's second pick
    assert metrics["good"]["accuracy_at_1"] == 1.0


def test_a_broken_feedback_file_is_a_clear_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feedback = workdir / "feedback.jsonl"
    feedback.write_text('{"request_id": "r", "verdict": "chosen"}\n', encoding="utf-8")
    assert main(["eval", "--cases", str(feedback)]) == 2
    assert "line 1" in capsys.readouterr().err
