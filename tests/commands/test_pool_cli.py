"""`bestdev pool check|schema` and `bestdev recommend --pool`: a company's own pool file from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.pool import SAMPLE_POOL, pool_schema


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No local.settings.json of the developer's is read."""
    monkeypatch.chdir(tmp_path)


def test_check_lists_every_problem_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pool.json"
    data = {
        "company": "X",
        "developers": [
            {"name": "A", "skills": [{"name": "Go", "level": 6}], "allocation": -1},
            {"name": "a", "skills": ["Go"]},
        ],
    }
    path.write_text(json.dumps(data))
    assert main(["pool", "check", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: developers[0] (A).skills: [0] level:")
    assert lines[1].startswith(f"{path}: developers[0] (A).allocation:")
    assert "2 problems" in captured.err


def test_check_passes_a_valid_pool_and_names_unknown_skills(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pool.json"
    path.write_text(json.dumps({"company": "X", "developers": [{"name": "A", "skills": ["Go", "Terrafrom"]}]}))
    assert main(["pool", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "developers[0] (A): 'Terrafrom' is not in the vocabulary (did you mean 'Terraform'?)" in out
    assert "valid: X, 1 developers" in out


def test_check_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pool", "check", str(tmp_path / "none.json")]) == 2
    assert "none.json: cannot be read" in capsys.readouterr().err


def test_schema_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pool", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == pool_schema()


def test_recommend_reads_the_pool_file_it_is_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pool.json"
    path.write_text(json.dumps({"company": "X", "developers": [{"name": "Ann Gopher", "skills": ["Go"]}]}))
    assert main(["recommend", "A Go service", "--pool", str(path), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert [item["name"] for item in body["recommendations"]] == ["Ann Gopher"]
    assert main(["recommend", "A Go service", "--pool", str(SAMPLE_POOL), "--json"]) == 0


def test_the_docs_show_the_schema_the_command_prints() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "pool.md").read_text(encoding="utf-8")
    block = text.split("<details><summary>The pool's JSON Schema</summary>", 1)[1].split("```json\n", 1)[1]
    assert json.loads(block.split("\n```", 1)[0]) == pool_schema()
