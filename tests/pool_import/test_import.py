"""`bestdev pool import`: the files companies keep, each read into the pool it describes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.pool import Pool, load_pool
from bestdev.pool_import.merge import import_pool
from bestdev.pool_import.tables import PoolImportError
from tests.pool_import.conftest import write_csv

EXPECTED_MATRIX = {
    "company": "Acme",
    "developers": [
        {
            "name": "Aino Virtanen",
            "title": "Cloud Architect",
            "skills": [{"name": "Go", "level": 4}, "Kubernetes", {"name": "Terraform", "level": 5}],
            "available_from": "2027-03-03",
            "allocation": 80,
        },
        {
            "name": "Bo Lindqvist",
            "title": "Frontend Developer",
            "skills": ["Kubernets", {"name": "React", "level": 3}],
        },
    ],
}


@pytest.mark.parametrize("fixture", ["matrix_xlsx", "matrix_csv"])
def test_a_skills_matrix_imports_to_the_pool_it_describes(fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    imported = import_pool([path], "Acme")
    assert imported.pool.document() == EXPECTED_MATRIX
    assert imported.formats == [(str(path), "matrix", 2)]
    report = "\n".join(imported.report())
    assert f"{path}: columns not used: E-mail" in report
    assert "'k8s' -> 'Kubernetes'" in report
    assert "'Kubernets' is not in the vocabulary, kept as written (did you mean 'Kubernetes'?)" in report


def test_a_long_list_with_levels_and_a_person_listed_twice(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "long.csv",
        [
            ["Employee", "Technology", "Proficiency", "Department"],
            ["Chen Wei", "golang", "expert", "Apps"],
            ["Chen Wei", "postgres", "3", "Apps"],
            ["", "", "", ""],
            ["chen  wei", "Go", "2", "Apps"],
        ],
    )
    imported = import_pool([path], "Acme")
    assert imported.pool.document()["developers"] == [
        {"name": "Chen Wei", "skills": [{"name": "Go", "level": 5}, {"name": "PostgreSQL", "level": 3}]}
    ]
    assert imported.formats == [(str(path), "long", 1)]
    assert any("columns not used: Department" in line for line in imported.report())


def test_a_people_list_with_a_skills_column_and_projects(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [
            ["Full name", "Job title", "Skills", "Projects", "Phone"],
            ["Dana Ek", "Data Engineer", "Python (4); Azure Data Factory, dbt: 3", "Claims; Billing", "555"],
            ["Eli Berg", "", "C#, .net", "", ""],
        ],
    )
    imported = import_pool([path], "Acme")
    assert imported.pool.document()["developers"] == [
        {
            "name": "Dana Ek",
            "title": "Data Engineer",
            "skills": [{"name": "Python", "level": 4}, "Azure Data Factory", {"name": "dbt", "level": 3}],
            "projects": [{"name": "Claims", "technologies": []}, {"name": "Billing", "technologies": []}],
        },
        {"name": "Eli Berg", "skills": ["C#", ".NET"]},
    ]
    assert any("columns not used: Phone" in line for line in imported.report())


def test_people_in_several_files_are_merged_into_a_pool_json(tmp_path: Path, matrix_csv: Path) -> None:
    existing = tmp_path / "existing.json"
    existing.write_text(json.dumps({"company": "Acme Oy", "developers": [{"name": "Bo Lindqvist", "skills": ["Vue"]}]}))
    imported = import_pool([existing, matrix_csv])
    assert imported.pool.company == "Acme Oy"
    bo = imported.pool.find("Bo Lindqvist")
    assert bo is not None
    assert bo.skills == ["Vue.js", "Kubernets", "React"]
    assert any("Bo Lindqvist is listed again" in line for line in imported.report())


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Name", "Go"], ["Ann", "x"], ["Bea", "7"]], r"row 3, column 'Go': '7' is not a level \(0-5\)"),
        ([["Name", "Free from", "Go"], ["Ann", "3/4/2027", "x"]], r"row 2, column 'Free from': .*2027-03-01"),
        ([["Name", "Booked", "Go"], ["Ann", "150", "x"]], r"row 2, column 'Booked': '150' is not a share"),
        ([["Name", "Go"], ["", "x"]], r"row 2, column 'Name': no name"),
        ([["Who", "Go"], ["Ann", "x"]], r"no header row naming the person"),
    ],
)
def test_a_malformed_file_names_its_row_and_column(tmp_path: Path, rows: list[list[object]], message: str) -> None:
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(PoolImportError, match=message) as caught:
        import_pool([path], "Acme")
    assert str(path) in str(caught.value)


def test_the_command_writes_the_pool_and_reports(
    tmp_path: Path, matrix_xlsx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pool.json"
    assert main(["pool", "import", str(matrix_xlsx), "--company", "Acme", "--out", str(out)]) == 0
    assert load_pool(out).document() == EXPECTED_MATRIX
    captured = capsys.readouterr()
    assert "columns not used: E-mail" in captured.err
    assert f"wrote {out}" in captured.out


def test_a_failed_import_leaves_the_previous_pool_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pool.json"
    out.write_text('{"company": "Acme", "developers": []}')
    bad = write_csv(tmp_path / "bad.csv", [["Name", "Go"], ["Ann", "x"], ["Bea", "often"]])
    assert main(["pool", "import", str(bad), "--company", "Acme", "--out", str(out)]) == 2
    assert "row 3, column 'Go': 'often' is not a level" in capsys.readouterr().err
    assert out.read_text() == '{"company": "Acme", "developers": []}'
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.csv", "pool.json"]


def test_the_format_can_be_chosen(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["Name", "Skill"], ["Ann", "Go"]])
    assert import_pool([path], "Acme").formats[0][1] == "long"
    chosen = import_pool([path], "Acme", "matrix")
    assert chosen.pool.document()["developers"] == [{"name": "Ann", "skills": []}]
    with pytest.raises(PoolImportError, match=r"odd\.csv: read as a people list, it needs a skills column"):
        import_pool([path], "Acme", "people")


def test_without_a_company_the_import_asks_for_one(matrix_csv: Path) -> None:
    with pytest.raises(PoolImportError, match="--company"):
        import_pool([matrix_csv])


def test_an_imported_pool_is_a_valid_pool(matrix_csv: Path) -> None:
    pool = import_pool([matrix_csv], "Acme").pool
    assert Pool.model_validate(pool.document()) == pool
    aino = pool.find("Aino Virtanen")
    assert aino is not None
    assert aino.available_from == date(2027, 3, 3)
    assert aino.level("Terraform") == 5
