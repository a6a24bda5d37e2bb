"""A CSV or Excel file as rows of text, each with its row number in the file."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bestdev.errors import BestDevError

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = ",;\t|"


class PoolImportError(BestDevError, ValueError):
    """A file cannot be imported; the message names the file and, where it can, the row and column."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the first row is 1
    cells: tuple[str, ...]

    def get(self, column: int) -> str:
        return self.cells[column] if column < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    source: str  # the file's name, for messages
    rows: tuple[Row, ...]  # every row that is not empty


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def read_table(path: Path, data: bytes) -> Table:
    """The rows of a CSV or .xlsx file (empty rows left out)."""
    rows = _xlsx_rows(path, data) if is_xlsx(data) else _csv_rows(path, data)
    kept = tuple(
        Row(number, tuple(cell.strip() for cell in cells))
        for number, cells in rows
        if any(cell.strip() for cell in cells)
    )
    if not kept:
        raise PoolImportError(f"{path}: no rows")
    return Table(str(path), kept)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which Excel on Windows writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise PoolImportError(f"{path}: not a text file ({error})") from None


def _csv_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    text = decode(path, data)
    delimiter = _delimiter(text)
    try:
        return [(number, cells) for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
    except csv.Error as error:
        raise PoolImportError(f"{path}: not a readable CSV file ({error})") from None


def _delimiter(text: str) -> str:
    """The delimiter of the first lines: a semicolon where Excel writes commas as decimal marks, else a comma."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in DELIMITERS}
        return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _xlsx_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # bestdev[import]; `pool import` says so when it is missing

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PoolImportError(f"{path}: not a readable .xlsx file ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
