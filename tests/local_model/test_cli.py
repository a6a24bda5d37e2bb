"""The commands: `local-model train` with its progress, `local-model serve` (its app, without blocking), and
`eval --compare --local-model` with the three backends side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bestdev.cli import main
from bestdev.local_model import serving
from bestdev.local_model.training import TrainingResult
from bestdev.local_model.weights import Loaded


def test_train_prints_progress_per_step_and_what_to_run_next(
    base: Loaded, dataset_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["local-model", "train", "--train", str(dataset_dir / "training.chat.jsonl"), "--out", str(out)]
    assert main([*argv, "--limit", "3", "--batch-size", "2", "--max-steps", "1", "--epochs", "1"]) == 0
    captured = capsys.readouterr()
    assert "step 1/1 (epoch 1)  train loss" in captured.err
    assert f"checkpoint {out / 'checkpoint-1'}: full validation loss -  (best)" in captured.out
    assert f"finetune results {out / 'results.csv'} --plot" in captured.out
    assert (out / "run.json").is_file()


def test_serve_loads_the_run_and_speaks_on_loopback_only(
    trained: TrainingResult, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serving, "serve", lambda app, host, port: served.update(app=app, host=host, port=port))
    assert main(["local-model", "serve", str(trained.out), "--port", "18123", "--deployment", "mine"]) == 0
    assert (served["host"], served["port"]) == ("127.0.0.1", 18123)
    with TestClient(served["app"]) as client:
        health = client.get("/health").json()
    assert health["prompting"] == "as trained"
    assert trained.best.path.name in health["model"]
    err = capsys.readouterr().err
    assert "AZURE_OPENAI_ENDPOINT=http://127.0.0.1:18123" in err
    assert "AZURE_OPENAI_DEPLOYMENT=mine" in err
    assert main(["local-model", "serve", "--host", "0.0.0.0"]) == 2
    assert "serves on loopback only" in capsys.readouterr().err


def test_serve_few_shot_puts_the_pool_before_the_question(
    base: Loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(serving, "serve", lambda app, host, port: served.update(app=app))
    assert main(["local-model", "serve", "--few-shot", "--shots", "2"]) == 0
    with TestClient(served["app"]) as client:
        assert client.get("/health").json()["prompting"] == "few-shot: the pool of 32 and 2 examples"


def test_compare_runs_the_recommender_the_tuned_and_the_prompted_base_model_side_by_side(
    trained: TrainingResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "compare.json"
    argv = ["eval", "--compare", "--local-model", str(trained.out), "--sample", "2", "--json", str(report)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 cases, 32 developers; fine-tuned: SmolLM2-135M-Instruct-")
    rows = [line.split()[0:3] for line in out.splitlines()]
    assert ["local", "recommender", "2"] in rows
    assert ["fine-tuned", "SmolLM2-135M-Instruct", "2"] in rows
    assert ["SmolLM2-135M-Instruct,", "few-shot", "2"] in rows
    assert "accuracy@1 by category:" in out
    assert report.is_file()


def test_local_model_goes_with_compare(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--local-model", "somewhere"]) == 2
    assert "--local-model does not apply here" in capsys.readouterr().err


def test_a_bad_training_option_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch", reason="the local-model extra is not installed: run `make local-model`")
    assert main(["local-model", "train", "--train", "x.jsonl", "--max-tokens", "3"]) == 2
    assert "local-model train: --max-tokens: Input should be greater than or equal to 16" in capsys.readouterr().err
