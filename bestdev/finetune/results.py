"""Reading a fine-tuning results.csv and summarising it: final and best losses, and a warning on overfitting."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bestdev.errors import BestDevError

# Column names as services write them; `validation_mean_token_accuracy`, a longer spelling of the validation
# accuracy some documents use, is read as the same column.
COLUMNS = {
    "step": "step",
    "train_loss": "train_loss",
    "train_mean_token_accuracy": "train_accuracy",
    "valid_loss": "valid_loss",
    "valid_mean_token_accuracy": "valid_accuracy",
    "validation_mean_token_accuracy": "valid_accuracy",
    "full_valid_loss": "full_valid_loss",
    "full_valid_mean_token_accuracy": "full_valid_accuracy",
}
# Validation loss this much above its best, while training loss still fell, reads as overfitting.
OVERFIT_TOLERANCE = 0.05


class ResultsError(BestDevError, ValueError):
    """The results file cannot be read; the message names the file and the line."""

    exit_code = 1  # like every other failed finetune step


class ResultRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    step: int
    train_loss: float | None = None
    train_accuracy: float | None = None
    valid_loss: float | None = None
    valid_accuracy: float | None = None
    full_valid_loss: float | None = None
    full_valid_accuracy: float | None = None


class ResultsSummary(BaseModel):
    steps: int
    columns: list[str]
    final_train_loss: float | None = None
    best_train_loss: float | None = None
    final_valid_loss: float | None = None
    best_valid_loss: float | None = None
    best_valid_step: int | None = None
    valid_measure: str | None = None
    final_train_accuracy: float | None = None
    final_valid_accuracy: float | None = None
    overfitting: bool = False

    def lines(self) -> list[str]:
        measure = self.valid_measure or "validation loss"
        lines = [f"steps: {self.steps}   columns: {', '.join(self.columns)}"]
        lines.append(f"training loss: final {_show(self.final_train_loss)}, best {_show(self.best_train_loss)}")
        if self.best_valid_loss is None:
            lines.append("validation loss: not in the file")
        else:
            lines.append(
                f"{measure}: final {_show(self.final_valid_loss)}, best {_show(self.best_valid_loss)}"
                f" at step {self.best_valid_step}"
            )
        lines.append(
            f"token accuracy: training {_show(self.final_train_accuracy)},"
            f" validation {_show(self.final_valid_accuracy)}"
        )
        if self.overfitting:
            lines.append(
                f"WARNING: overfitting: {measure} rose from {_show(self.best_valid_loss)} (step {self.best_valid_step})"
                f" to {_show(self.final_valid_loss)} while training loss kept falling;"
                f" consider fewer epochs or the checkpoint nearest step {self.best_valid_step}"
            )
        return lines


def read_results(path: Path) -> list[ResultRow]:
    """Rows of a results CSV; unknown columns are ignored, missing ones and empty cells are None."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            known = {name.strip(): COLUMNS[name.strip()] for name in reader.fieldnames or [] if name.strip() in COLUMNS}
            if not known or set(known.values()) == {"step"}:
                raise ResultsError(f"{path}: no known results columns (expected some of {', '.join(COLUMNS)})")
            rows = [_row(path, reader.line_num, index, raw, known) for index, raw in enumerate(reader, start=1)]
    except OSError as error:
        raise ResultsError(f"{path}: cannot read it ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ResultsError(f"{path}: not a UTF-8 text file") from error
    if not rows:
        raise ResultsError(f"{path}: no result rows")
    return rows


def _row(path: Path, line: int, index: int, raw: dict[str, str | None], known: dict[str, str]) -> ResultRow:
    values: dict[str, float | int] = {}
    for column, field in known.items():
        cell = (raw.get(column) or "").strip()
        if not cell:
            continue
        try:
            number = float(cell)
        except ValueError:
            raise ResultsError(f"{path}:{line}: {column} is not a number: {cell!r}") from None
        if math.isnan(number):
            continue
        values[field] = int(number) if field == "step" else number
    values.setdefault("step", index)
    return ResultRow.model_validate(values)


def summarise(rows: list[ResultRow]) -> ResultsSummary:
    columns = [name for name in ResultRow.model_fields if any(getattr(row, name) is not None for row in rows)]
    train = [(row.step, row.train_loss) for row in rows if row.train_loss is not None]
    measure = "full_valid_loss" if sum(row.full_valid_loss is not None for row in rows) >= 2 else "valid_loss"
    valid = [(row.step, value) for row in rows if (value := getattr(row, measure)) is not None]
    summary = ResultsSummary(
        steps=len(rows),
        columns=columns,
        final_train_loss=train[-1][1] if train else None,
        best_train_loss=min(loss for _, loss in train) if train else None,
        final_train_accuracy=_last(row.train_accuracy for row in rows),
        final_valid_accuracy=_last(row.full_valid_accuracy for row in rows)
        or _last(row.valid_accuracy for row in rows),
    )
    if not valid:
        return summary
    best_step, best = min(valid, key=lambda point: point[1])
    final = valid[-1][1]
    summary.final_valid_loss, summary.best_valid_loss, summary.best_valid_step = final, best, best_step
    summary.valid_measure = "full validation loss" if measure == "full_valid_loss" else "validation loss"
    train_at_best = _last(loss for step, loss in train if step <= best_step)
    summary.overfitting = (
        final > best * (1 + OVERFIT_TOLERANCE)
        and train_at_best is not None
        and summary.final_train_loss is not None
        and summary.final_train_loss < train_at_best
    )
    return summary


def _last(values: Iterable[float | None]) -> float | None:
    found = None
    for value in values:
        if value is not None:
            found = value
    return found


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
