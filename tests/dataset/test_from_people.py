"""`dataset build --feedback`: people's chosen and good picks become examples, once each, and pass the checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bestdev import template
from bestdev.cli import main
from bestdev.dataset.build import MANIFEST, build, prompt_key
from bestdev.dataset.check import check
from bestdev.dataset.formats import FORMATS, file_name
from bestdev.dataset.from_people import CHOSEN_WITHOUT_NAMED_SKILLS
from bestdev.feedback.export import write_decisions
from bestdev.feedback.records import Decision, Verdict, decision_id
from bestdev.pool import Pool

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
EXAMPLES = 120


def decided(number: int, description: str, developer: str, verdict: Verdict, note: str | None = None) -> Decision:
    request = f"req-{number}"
    return Decision(
        id=decision_id(request, developer.casefold()),
        request_id=request,
        description=description,
        developer=developer,
        verdict=verdict,
        note=note,
        backend="local",
        answered=(developer,),
        created_at=START + timedelta(minutes=number),
    )


@pytest.fixture(scope="module")
def decisions(pool: Pool) -> list[Decision]:
    """Twelve people's picks on descriptions naming their first skill, plus the cases the rules are about."""
    picks = [
        decided(
            n, f"Customer project {n}: we need {developer.skills[0]} for the new platform", developer.name, "chosen"
        )
        for n, developer in enumerate(pool.developers[:12])
    ]
    return [
        *picks,
        # the same description twice: "chosen" outranks the earlier "good"
        decided(20, "A React Native app with Firebase for a bakery", "Jonas Berg", "good"),
        decided(21, "A React Native app with Firebase for a bakery", "Chen Wei", "chosen"),
        # never a label, though its developer was answered
        decided(22, "A Go service with PostgreSQL for ticketing", "Mikko Heikkinen", "wrong"),
        # chosen, although the description names none of their skills
        decided(23, "Someone calm to lead the customer workshops", "Maria García", "chosen", "great with clients"),
        # a developer who has left the pool
        decided(24, "An Angular portal for insurers", "Someone Gone", "chosen"),
    ]


def test_every_eligible_decision_is_an_example_exactly_once(pool: Pool, decisions: list[Decision]) -> None:
    dataset = build(pool, EXAMPLES, 0.1, 3, feedback=decisions)
    people = [example for example in dataset.all if example.source == "people"]
    expected = {(d.description, d.developer) for d in decisions[:12]} | {
        ("A React Native app with Firebase for a bakery", "Chen Wei"),
        ("Someone calm to lead the customer workshops", "Maria García"),
    }
    assert sorted((example.description, example.developer) for example in people) == sorted(expected)  # type: ignore[arg-type]
    keys = [prompt_key(example.prompt) for example in dataset.all]
    assert len(keys) == len(set(keys)), "no prompt twice, generated or people's"
    wrong = template.prompt(pool.company, "A Go service with PostgreSQL for ticketing")
    assert prompt_key(wrong) not in keys
    assert dataset.people is not None
    assert (dataset.people.decisions, dataset.people.superseded, dataset.people.left_pool) == (17, 1, ["Someone Gone"])


def test_reasons_name_the_skills_of_theirs_the_description_names(pool: Pool, decisions: list[Decision]) -> None:
    dataset = build(pool, EXAMPLES, 0.1, 3, feedback=decisions)
    by_developer = {example.developer: example for example in dataset.all if example.source == "people"}
    chen = template.parse(by_developer["Chen Wei"].completion)
    assert chen is not None
    assert template.reason_skills(chen.reason) == ["React Native", "Firebase"]
    maria = template.parse(by_developer["Maria García"].completion)
    assert maria is not None
    assert maria.reason.rstrip(".").casefold() in CHOSEN_WITHOUT_NAMED_SKILLS.casefold()


def test_people_come_first_with_a_fixed_share_in_validation(pool: Pool, decisions: list[Decision]) -> None:
    dataset = build(pool, EXAMPLES, 0.25, 3, feedback=decisions)
    training = [example.source for example in dataset.training[1:]]  # after the pool context
    validation = [example.source for example in dataset.validation]
    assert training[: training.count("people")] == ["people"] * training.count("people")
    assert validation[: validation.count("people")] == ["people"] * validation.count("people")
    assert validation.count("people") == round(14 * 0.25)
    assert training.count("people") == 14 - round(14 * 0.25)


def write_feedback(tmp_path: Path, decisions: list[Decision]) -> Path:
    path = tmp_path / "feedback.jsonl"
    assert write_decisions(decisions, path) == len(decisions)
    return path


def test_build_with_feedback_from_the_command_line_passes_check_and_repeats_byte_for_byte(
    pool: Pool, decisions: list[Decision], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feedback = write_feedback(tmp_path, decisions)
    runs = [tmp_path / "one", tmp_path / "two"]
    for out in runs:
        arguments = ["dataset", "build", "--out", str(out), "--examples", str(EXAMPLES), "--seed", "9"]
        assert main([*arguments, "--feedback", str(feedback)]) == 0
    printed = capsys.readouterr()
    assert "14 examples from people (13 training, 1 validation) out of 17 decisions" in printed.out
    assert "Someone Gone" in printed.err
    for name in sorted(path.name for path in runs[0].iterdir()):
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name
    manifest = json.loads((runs[0] / MANIFEST).read_text())
    assert manifest["from_people"]["training"] + manifest["from_people"]["validation"] == 14
    for split in ("training", "validation"):
        for data_format in FORMATS:
            path = runs[0] / file_name(split, data_format)
            report = check(path.read_text(encoding="utf-8").splitlines(), str(path), pool=pool)
            assert report.errors == [], [str(finding) for finding in report.errors]
    assert main(["dataset", "check", str(runs[0] / file_name("training", "chat"))]) == 0
    assert "Result: OK" in capsys.readouterr().out


def test_without_feedback_the_build_is_what_it_was(pool: Pool) -> None:
    plain, empty = build(pool, EXAMPLES, 0.1, 3), build(pool, EXAMPLES, 0.1, 3, feedback=[])
    assert plain.training == empty.training
    assert plain.validation == empty.validation


def test_a_broken_feedback_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "feedback.jsonl"
    broken.write_text('{"verdict": "chosen"}\n', encoding="utf-8")
    assert main(["dataset", "build", "--out", str(tmp_path / "out"), "--feedback", str(broken)]) == 2
    assert "line 1" in capsys.readouterr().err
