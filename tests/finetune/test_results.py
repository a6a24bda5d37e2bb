"""`finetune results`: reading results.csv (missing columns tolerated), the summary, overfitting, the PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from bestdev.finetune.results import ResultsError, read_results, summarise
from bestdev.finetune.results_plot import plot_results

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FULL_HEADER = (
    "step,train_loss,train_mean_token_accuracy,valid_loss,valid_mean_token_accuracy,"
    "full_valid_loss,full_valid_mean_token_accuracy"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "results.csv"
    path.write_text(text)
    return path


def test_a_healthy_run_is_summarised_without_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{FULL_HEADER}\n"
        "1,2.0,0.50,2.1,0.48,,\n"
        "2,1.2,0.70,1.3,0.66,1.35,0.65\n"
        "3,0.9,0.78,1.0,0.75,,\n"
        "4,0.7,0.82,0.9,0.79,0.95,0.78\n",
    )
    summary = summarise(read_results(path))
    assert summary.steps == 4
    assert (summary.final_train_loss, summary.best_train_loss) == (0.7, 0.7)
    assert summary.valid_measure == "full validation loss"
    assert (summary.final_valid_loss, summary.best_valid_loss, summary.best_valid_step) == (0.95, 0.95, 4)
    assert (summary.final_train_accuracy, summary.final_valid_accuracy) == (0.82, 0.78)
    assert not summary.overfitting
    assert not any("WARNING" in line for line in summary.lines())


def test_validation_loss_rising_while_training_loss_falls_is_flagged(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "step,train_loss,valid_loss\n1,2.0,2.1\n2,1.0,1.1\n3,0.6,0.9\n4,0.3,1.2\n5,0.1,1.5\n",
    )
    summary = summarise(read_results(path))
    assert summary.valid_measure == "validation loss"
    assert (summary.best_valid_loss, summary.best_valid_step, summary.final_valid_loss) == (0.9, 3, 1.5)
    assert summary.overfitting
    [warning] = [line for line in summary.lines() if line.startswith("WARNING")]
    assert "rose from 0.9000 (step 3) to 1.5000" in warning


def test_both_losses_rising_is_not_called_overfitting(tmp_path: Path) -> None:
    path = write(tmp_path, "step,train_loss,valid_loss\n1,1.0,1.0\n2,0.8,0.8\n3,1.2,1.3\n")
    assert not summarise(read_results(path)).overfitting


def test_missing_columns_are_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "step,train_loss,some_new_metric\n1,2.0,x\n2,1.5,y\n")
    rows = read_results(path)
    summary = summarise(rows)
    assert summary.columns == ["step", "train_loss"]
    assert summary.final_train_loss == 1.5
    assert summary.best_valid_loss is None
    assert not summary.overfitting
    assert "validation loss: not in the file" in summary.lines()


def test_without_a_step_column_rows_are_numbered_and_the_issue_spelling_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "train_loss,validation_mean_token_accuracy\n2.0,0.4\n1.0,0.6\n")
    rows = read_results(path)
    assert [row.step for row in rows] == [1, 2]
    assert summarise(rows).final_valid_accuracy == 0.6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("step,train_loss\n1,abc\n", r"results\.csv:2: train_loss is not a number: 'abc'"),
        ("epoch,loss\n1,2\n", "no known results columns"),
        ("step,train_loss\n", "no result rows"),
    ],
)
def test_unreadable_results_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ResultsError, match=message):
        read_results(write(tmp_path, text))


def test_a_missing_file_is_a_results_error(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="cannot read it"):
        read_results(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    "text",
    [
        f"{FULL_HEADER}\n1,2.0,0.5,2.1,0.48,2.2,0.47\n2,1.0,0.7,1.1,0.66,1.2,0.65\n",
        "step,train_loss\n1,2.0\n2,1.0\n",
    ],
    ids=["all-columns", "no-accuracy-no-validation"],
)
def test_the_plot_is_a_png(tmp_path: Path, text: str) -> None:
    png = plot_results(read_results(write(tmp_path, text)), tmp_path / "plots" / "loss.png")
    content = png.read_bytes()
    assert content.startswith(PNG_SIGNATURE)
    assert len(content) > 5_000
