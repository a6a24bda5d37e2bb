"""Real-looking files a company keeps, written by the tests themselves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

MATRIX_ROWS: list[list[object]] = [
    ["Name", "Role", "E-mail", "Available from", "Allocation", "Go", "k8s", "Terraform", "Kubernets", "React"],
    ["Aino Virtanen", "Cloud Architect", "aino@example.com", datetime(2027, 3, 3), "80%", 4, "x", 5, "", ""],
    [None, None, None, None, None, None, None, None, None, None],
    ["Bo Lindqvist", "Frontend Developer", "bo@example.com", None, None, "", "", "", "✓", 3],
]


def write_csv(path: Path, rows: Sequence[Sequence[object]], delimiter: str = ",", bom: bool = False) -> Path:
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if delimiter in text or "\n" in text else text

    text = "\r\n".join(delimiter.join(cell(value) for value in row) for row in rows) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


@pytest.fixture
def matrix_xlsx(tmp_path: Path) -> Path:
    """A skills matrix as Excel keeps it: a title row, a 'Skills' cell merged over the skill columns, dates as
    dates, an empty row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Team skills 2027", None, None, None, None, "Skills"])
    sheet.merge_cells(start_row=1, start_column=6, end_row=1, end_column=10)
    for row in MATRIX_ROWS:
        sheet.append(row)
    path = tmp_path / "matrix.xlsx"
    book.save(path)
    return path


@pytest.fixture
def matrix_csv(tmp_path: Path) -> Path:
    """The same matrix as Excel saves it as CSV in a European locale: a byte-order mark, semicolons, a merged
    header row left as one cell, the date as Excel's serial number, empty rows."""
    rows: list[list[object]] = [[None] * 5 + ["Skills"] + [None] * 4]
    for row in MATRIX_ROWS:
        rows.append(["46449" if isinstance(value, datetime) else value for value in row])  # 2027-03-03
    rows.append([None] * 10)
    return write_csv(tmp_path / "matrix.csv", rows, delimiter=";", bom=True)
