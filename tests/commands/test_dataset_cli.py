from __future__ import annotations

import json
from pathlib import Path

import pytest

from bestdev import template
from bestdev.cli import main
from bestdev.dataset.build import MANIFEST
from bestdev.dataset.formats import file_name


def test_build_then_check_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    assert main(["dataset", "build", "--out", str(out), "--examples", "120", "--seed", "5"]) == 0
    printed = capsys.readouterr().out
    assert "109 training and 12 validation examples (seed 5)" in printed
    assert "32 of 32 developers labelled" in printed
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["seed"] == 5
    assert manifest["training_examples"] == 109

    assert main(["dataset", "check", str(out / file_name("training", "chat"))]) == 0
    report = capsys.readouterr().out
    assert "Result: OK" in report
    assert "Estimated training cost:" in report


def test_check_exits_non_zero_on_errors_and_fix_repairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    assert main(["dataset", "build", "--out", str(out), "--examples", "40"]) == 0
    source = out / file_name("training", "prompt-completion")
    lines = source.read_text(encoding="utf-8").splitlines()
    value = json.loads(lines[3])
    lines[3] = json.dumps({**value, "completion": str(value["completion"]).removesuffix(template.STOP)})
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines, lines[4]]) + "\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["dataset", "check", str(broken), "--price-per-million", "1.5", "--epochs", "2"]) == 1
    report = capsys.readouterr().out
    assert "stop on 1 line (4)" in report
    assert "duplicate on 1 line" in report
    assert "x 2 epochs" in report
    assert "USD 1.50/1M" in report

    fixed = tmp_path / "fixed.jsonl"
    assert main(["dataset", "check", str(broken), "--fix", str(fixed)]) == 0
    assert f"Wrote {fixed}" in capsys.readouterr().out
    assert fixed.read_text(encoding="utf-8").splitlines() == source.read_text(encoding="utf-8").splitlines()


def test_unreadable_files_and_pools_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "check", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert main(["dataset", "build", "--out", str(tmp_path), "--pool", str(tmp_path / "nope.json")]) == 2
    assert "pool file" in capsys.readouterr().err
    assert main(["dataset", "build", "--out", str(tmp_path), "--examples", "3"]) == 2
    assert "too few" in capsys.readouterr().err


def test_an_unwritable_fix_target_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    assert main(["dataset", "build", "--out", str(out), "--examples", "40"]) == 0
    source = out / file_name("validation", "chat")
    assert main(["dataset", "check", str(source), "--fix", str(tmp_path)]) == 2
    assert "cannot be written" in capsys.readouterr().err
