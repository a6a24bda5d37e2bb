"""Finding the base model's file: through the installed package's metadata, or a message naming the install."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest

from bestdev.local_model import weights
from bestdev.local_model.weights import WeightsError, base_gguf


def test_a_missing_weights_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(weights, "distribution", missing)
    with pytest.raises(WeightsError, match=r"the base model is not installed: make local-model"):
        base_gguf()


def test_a_package_without_its_file_says_to_reinstall(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Installed:
        def locate_file(self, path: str) -> Path:
            return tmp_path / path

    monkeypatch.setattr(weights, "distribution", lambda name: Installed())
    with pytest.raises(WeightsError, match="the base model's file is missing: reinstall it"):
        base_gguf()


def test_a_gguf_path_that_is_not_there_is_named(tmp_path: Path) -> None:
    pytest.importorskip("transformers", reason="the local-model extra is not installed: run `make local-model`")
    with pytest.raises(WeightsError, match=r"nothing\.gguf: no such GGUF file"):
        weights.load(tmp_path / "nothing.gguf")
