"""Every .bicep file parses; the layout is main.bicep plus one module per concern."""

from __future__ import annotations

from pathlib import Path

import pytest

# The pycep-parser version checkov pins rejects a run of five or more `//` comment lines.
MAX_COMMENT_RUN = 4
INFRA = Path(__file__).resolve().parents[2] / "infra"


def test_every_bicep_file_parses(bicep_path, parse):
    template = parse(bicep_path)
    assert template.get("resources") or template.get("modules"), f"{bicep_path.name} declares nothing"


def test_no_long_comment_runs(bicep_path):
    run = 0
    for number, line in enumerate(bicep_path.read_text(encoding="utf-8").splitlines(), start=1):
        run = run + 1 if line.strip().startswith("//") else 0
        assert run <= MAX_COMMENT_RUN, f"{bicep_path.name}:{number}: more than {MAX_COMMENT_RUN} `//` lines in a row"


def test_a_syntax_error_fails_the_check(tmp_path, parse):
    text = (INFRA / "modules" / "storage.bicep").read_text(encoding="utf-8")
    broken = tmp_path / "broken.bicep"
    broken.write_text(text.replace("properties: {", "properties: {{", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match=r"broken\.bicep does not parse"):
        parse(broken)


def test_main_uses_one_module_per_concern(main):
    used = {module["detail"]["path"] for module in main["modules"].values()}
    on_disk = {f"modules/{path.name}" for path in (INFRA / "modules").glob("*.bicep")}
    assert used == on_disk, "every module is used by main.bicep and every used module exists"
    assert on_disk == {
        "modules/auth.bicep",
        "modules/budget.bicep",
        "modules/diagnostics.bicep",
        "modules/entra.bicep",
        "modules/locks.bicep",
        "modules/functionapp.bicep",
        "modules/identity.bicep",
        "modules/monitoring.bicep",
        "modules/openai.bicep",
        "modules/roles.bicep",
        "modules/storage.bicep",
    }
