"""`local-model train`: a results CSV in Azure's columns that `finetune results` reads and plots, checkpoints with
run.json, progress per step, and the loss counted on the answer only."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bestdev import template
from bestdev.cli import main
from bestdev.finetune.results import read_results, summarise
from bestdev.local_model.examples import IGNORED, read_conversations, tokenize
from bestdev.local_model.training import COLUMNS, StepReport, TrainingResult
from bestdev.local_model.weights import Loaded, LocalModelError, WeightsError, load


def test_the_results_csv_has_azures_columns_a_row_per_step_and_validation(trained: TrainingResult) -> None:
    with trained.results.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert [row["step"] for row in rows] == ["1", "2", "3"]
    assert all(float(row["train_loss"]) > 0 and 0 <= float(row["train_mean_token_accuracy"]) <= 1 for row in rows)
    assert [bool(row["valid_loss"]) for row in rows] == [True, True, False]  # step 1, then every 2nd
    assert [bool(row["full_valid_loss"]) for row in rows] == [False, True, True]  # at each epoch's end
    assert trained.left_out == 1  # the pool context example is longer than max_tokens 256


def test_finetune_results_reads_it_and_plots_it(
    trained: TrainingResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read_results(trained.results)
    summary = summarise(rows)
    assert summary.steps == 3
    assert summary.valid_measure == "full validation loss"
    assert summary.best_valid_step in {2, 3}
    plot = tmp_path / "loss.png"
    assert main(["finetune", "results", str(trained.results), "--plot", str(plot)]) == 0
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert "training loss: final" in capsys.readouterr().out


def test_checkpoints_at_each_epoch_end_and_the_run_names_the_best(trained: TrainingResult) -> None:
    assert [point.step for point in trained.checkpoints] == [2, 3]
    for point in trained.checkpoints:
        assert (point.path / "adapter_model.safetensors").is_file()
        info = json.loads((point.path / "run.json").read_text(encoding="utf-8"))
        assert info["method"] == "lora"
        assert (info["separator"], info["stop"]) == (template.SEPARATOR, template.STOP)
    run = json.loads((trained.out / "run.json").read_text(encoding="utf-8"))
    assert run["best"] == trained.best.path.name
    losses = [point.full_valid_loss for point in trained.checkpoints if point.full_valid_loss is not None]
    assert trained.best.full_valid_loss == min(losses)


def test_progress_is_reported_after_every_step(trained: TrainingResult, progress_reports: list[StepReport]) -> None:
    assert [report.step for report in progress_reports] == [1, 2, 3]
    assert {report.steps for report in progress_reports} == {3}
    assert [report.epoch for report in progress_reports] == [1, 1, 2]
    assert all(report.seconds > 0 and report.elapsed >= report.seconds for report in progress_reports)


def test_the_loss_counts_only_the_answer_and_the_end_of_its_turn(base: Loaded, dataset_dir: Path) -> None:
    conversations = read_conversations(dataset_dir / "training.chat.jsonl")[1:3]
    for messages, example in zip(conversations, tokenize(conversations, base.tokenizer, 512), strict=True):
        answer = [label for label in example.labels if label != IGNORED]
        assert example.labels[: len(example.labels) - len(answer)] == (IGNORED,) * (len(example.labels) - len(answer))
        decoded = base.tokenizer.decode(answer)
        assert decoded.startswith(messages[-1]["content"])  # ' Name, because ...<END_OUTPUT>'
        assert decoded.removeprefix(messages[-1]["content"]).strip() == base.tokenizer.eos_token


def test_prompt_completion_lines_train_in_the_serving_chat_form(dataset_dir: Path) -> None:
    chat = read_conversations(dataset_dir / "training.chat.jsonl")
    plain = read_conversations(dataset_dir / "training.prompt-completion.jsonl")
    assert plain == chat


def test_a_line_that_is_no_example_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a\\n\\n###\\n\\n", "completion": " b<END_OUTPUT>"}\n{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(LocalModelError, match=r"bad\.jsonl:2: not a chat or prompt-completion line"):
        read_conversations(bad)


def test_a_folder_that_is_no_checkpoint_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="not a checkpoint of `bestdev local-model train`"):
        load(tmp_path)
