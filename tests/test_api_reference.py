"""docs/api.md's reference is the app's own schema and error table: regenerated, it is unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from bestdev.api.errors import ERRORS
from bestdev.model.faults import FaultCause
from tools import api_reference


def test_the_reference_in_docs_api_is_current() -> None:
    current = api_reference.DOC.read_text(encoding="utf-8")
    wanted = api_reference.render(current, api_reference.blocks(api_reference.openapi()))
    assert wanted == current, "docs/api.md is out of date: run python -m tools.api_reference"


def test_every_route_the_schema_publishes_is_in_docs_api() -> None:
    text = api_reference.DOC.read_text(encoding="utf-8")
    for path, operations in api_reference.openapi()["paths"].items():
        for method in operations:
            assert f"### `{method.upper()} {path}`" in text


def test_every_model_fault_has_a_documented_code() -> None:
    codes = {error.code for error in ERRORS}
    assert {f"model_{cause}" for cause in get_args(FaultCause)} <= codes


def test_check_mode_reports_a_stale_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "api.md"
    stale.write_text("<!-- BEGIN generated: errors -->\nold\n<!-- END generated: errors -->\n", encoding="utf-8")
    monkeypatch.setattr(api_reference, "DOC", stale)
    assert api_reference.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert api_reference.main([]) == 0
    assert "`model_timeout`" in stale.read_text(encoding="utf-8")
    assert api_reference.main(["--check"]) == 0
