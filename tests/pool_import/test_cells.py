"""Single cells and whole files as spreadsheets and HR exports write them, read or refused with a clear reason."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from bestdev.errors import FileError
from bestdev.pool_import import values
from bestdev.pool_import.merge import import_pool
from bestdev.pool_import.tables import PoolImportError, read_table
from bestdev.pool_import.write import write_atomically
from bestdev.pool_source.drift import load_trained
from bestdev.settings import load_settings
from tests.pool_import.conftest import write_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (False, None)),
        ("no", (False, None)),
        ("0", (False, None)),
        ("X", (True, None)),
        ("✓", (True, None)),
        ("4", (True, 4)),
        ("4,0", (True, 4)),
        ("Expert", (True, 5)),
    ],
)
def test_a_matrix_cell_is_a_level_or_a_mark(text: str, expected: tuple[bool, int | None]) -> None:
    assert values.level_or_mark(text) == expected


@pytest.mark.parametrize("text", ["6", "2.5", "often"])
def test_a_matrix_cell_that_is_neither_is_refused(text: str) -> None:
    with pytest.raises(values.CellError, match="is not a level"):
        values.level_or_mark(text)


def test_a_level_column_takes_levels_not_marks_of_other_kinds() -> None:
    assert values.level("x") is None
    assert values.level("3") == 3
    with pytest.raises(values.CellError, match=r"'often' is not a level \(0-5\)"):
        values.level("often")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-3-1", date(2027, 3, 1)),
        ("1.3.2027", date(2027, 3, 1)),
        ("2027/03/01", date(2027, 3, 1)),
        ("25/3/2027", date(2027, 3, 25)),
        ("3/25/2027", date(2027, 3, 25)),
        ("3/3/2027", date(2027, 3, 3)),
        ("46449", date(2027, 3, 3)),
        ("now", None),
        ("", None),
    ],
)
def test_dates_as_people_and_spreadsheets_write_them(text: str, expected: date | None) -> None:
    assert values.day(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.2.2027", "is not a date"),
        ("4/3/2027", "could be day/month or month/day"),
        ("next spring", r"write it as 2027-03-01"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(values.CellError, match=message):
        values.day(text)


@pytest.mark.parametrize(("text", "expected"), [("80", 80), ("80 %", 80), ("0.8", 80), ("1", 1), ("", None)])
def test_a_booked_share(text: str, expected: int | None) -> None:
    assert values.share(text) == expected


@pytest.mark.parametrize("text", ["lots", "-5"])
def test_a_share_that_is_not_one(text: str) -> None:
    with pytest.raises(values.CellError, match="is not a share booked"):
        values.share(text)


def test_a_windows_export_with_tabs_is_read(tmp_path: Path) -> None:
    path = tmp_path / "people.txt"
    path.write_bytes("Name\tSkills\r\nJosé Müller\tGo; Rust\r\n".encode("cp1252"))
    table = read_table(path, path.read_bytes())
    assert table.rows[1].cells == ("José Müller", "Go; Rust")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\n\n  \n", "no rows"),
        (b"PK\x03\x04 not really a workbook", "not a readable .xlsx file"),
        (b"\x81\x8d\x8f\x90\x9d", "not a text file"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_table(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(PoolImportError, match=message):
        read_table(path, data)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PoolImportError, match=r"nowhere\.csv: cannot be read"):
        import_pool([tmp_path / "nowhere.csv"], "Acme")


def test_people_listed_twice_keep_the_later_date_and_the_larger_booking(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [["Name", "Free from", "Booked", "Go"], ["Ann", "2027-01-01", "50", "x"]])
    second = write_csv(tmp_path / "b.csv", [["Name", "Free from", "Booked", "Rust"], ["Ann", "2027-02-01", "80", "2"]])
    ann = import_pool([first, second], "Acme").pool.developers[0]
    assert (ann.available_from, ann.allocation, ann.skills) == (date(2027, 2, 1), 80, ["Go", "Rust"])


def test_a_name_that_is_too_blank_for_the_pool_names_its_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [["First name", "Last name", "Go"], ["Ann", "Lee", "x"], [" ", "", "x"]])
    with pytest.raises(PoolImportError, match=r"bad\.csv: row 3, column 'First name': no name"):
        import_pool([path], "Acme")
    ok = write_csv(tmp_path / "ok.csv", [["First name", "Last name", "Go"], ["Ann", "Lee", "x"]])
    assert import_pool([ok], "Acme").pool.developers[0].name == "Ann Lee"


def test_an_output_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "pool.json"
    with pytest.raises(FileError, match=r"pool\.json: cannot be written"):
        write_atomically(target, "{}")
    directory = tmp_path / "a-directory"
    directory.mkdir()
    with pytest.raises(FileError, match=r"a-directory: cannot be written"):
        write_atomically(directory, "{}")
    assert list(tmp_path.iterdir()) == [directory]  # no temporary file left behind


def test_an_unreadable_trained_on_record_only_hides_the_drift(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    model = {"AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT": "ft"}
    with caplog.at_level(logging.WARNING):
        assert load_trained(load_settings(**model, BESTDEV_TRAINED_POOL=str(tmp_path / "none.json"))) is None
        bad = tmp_path / "dataset.json"
        bad.write_text('{"company": "Acme"}')
        assert load_trained(load_settings(**model, BESTDEV_TRAINED_POOL=str(bad))) is None
    assert "none.json: cannot be read" in caplog.text
    assert "not a dataset.json with the pool it was built from" in caplog.text
    assert load_trained(load_settings(BESTDEV_TRAINED_POOL=str(bad))) is None  # no model, nothing read


def test_a_blank_company_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["Name", "Go"], ["Ann", "x"]])
    with pytest.raises(PoolImportError, match="name the company with --company"):
        import_pool([path], "   ")
