"""Reading one cell: a level or a mark, a date, a booked share."""

from __future__ import annotations

import re
from datetime import date, timedelta

EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's date serial numbers (as Excel counts, 1900 a leap year)
MARKS = {"x", "✓", "✔", "☑", "●", "•", "*", "+", "yes", "y", "true", "ja", "kyllä", "oui", "si", "sí"}
NOT_HELD = {"", "0", "-", "–", "no", "n", "false", "none"}
WORD_LEVELS = {"beginner": 1, "basic": 2, "intermediate": 3, "good": 3, "advanced": 4, "expert": 5}
NOW = {"now", "immediately", "asap", "available", "free"}


class CellError(ValueError):
    """The cell cannot be read; the message says what it should hold."""


def level_or_mark(text: str) -> tuple[bool, int | None]:
    """(held, level): a level 1-5, or a mark (x, ✓, yes) held without a level; empty, 0 or 'no' is not held."""
    value = text.strip().casefold()
    if value in NOT_HELD:
        return False, None
    if value in MARKS:
        return True, None
    if value in WORD_LEVELS:
        return True, WORD_LEVELS[value]
    number = _number(value)
    if number is not None and number.is_integer() and 0 <= number <= 5:
        return (number > 0), (int(number) or None)
    raise CellError(f"{text!r} is not a level (0-5) or a mark (x, ✓, yes)")


def is_level_or_mark(text: str) -> bool:
    try:
        level_or_mark(text)
    except CellError:
        return False
    return True


def level(text: str) -> int | None:
    """A level 1-5 (or a word such as 'expert'); empty is no level."""
    held, found = level_or_mark(text)
    if held and found is None and text.strip().casefold() not in MARKS:
        raise CellError(f"{text!r} is not a level (1-5)")
    return found


def day(text: str) -> date | None:
    """A date as people and spreadsheets write it: 2027-03-01, 1.3.2027, an Excel serial number; empty is none."""
    value = text.strip()
    if not value or value.casefold() in NOW:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return date.fromisoformat("-".join(part.zfill(2) for part in value.split("-")))
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value):
            first, second = int(match[1]), int(match[2])
            if first <= 12 and second <= 12 and first != second:
                raise CellError(f"{text!r} could be day/month or month/day: write the date as 2027-03-01")
            day_first = first > 12
            return date(int(match[3]), second if day_first else first, first if day_first else second)
        if re.fullmatch(r"\d{5}(\.\d+)?", value):
            return EXCEL_EPOCH + timedelta(days=int(float(value)))
    except ValueError as error:
        if isinstance(error, CellError):
            raise
        raise CellError(f"{text!r} is not a date ({error})") from None
    raise CellError(f"{text!r} is not a date (write it as 2027-03-01)")


def share(text: str) -> int | None:
    """A booked share in percent: 80, 80 %, or 0.8; empty is none."""
    value = text.strip().removesuffix("%").strip()
    if not value:
        return None
    number = _number(value)
    if number is None:
        raise CellError(f"{text!r} is not a share booked (0-100 or 0.0-1.0)")
    if number <= 1 and not text.strip().endswith("%") and not float(number).is_integer():
        number *= 100
    if not 0 <= number <= 100:
        raise CellError(f"{text!r} is not a share booked (0-100)")
    return round(number)


def _number(value: str) -> float | None:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None
