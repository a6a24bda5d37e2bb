"""checkov scans infra/ offline: zero failed checks, zero parsing errors, every file scanned, every skip explained.

checkov lives in its own virtualenv (.venv-checkov, created by `make test`): its pins (packaging, pycep-parser)
would fight the app's dev dependencies. checkov silently drops a file it cannot parse, so the test also reads
checkov's own log line that counts the files it parsed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CRASHED = re.compile(r"Failed to run check (\S+) on (\S+):(\S+)")
# checkov 3.3.30 pins pycep-parser 0.5.1, which predates Bicep's `extension` keyword. entra.bicep holds only Microsoft
# Graph resources (the app registration), which checkov has no checks for; tests/infra/test_bicep_syntax.py parses
# it with the current pycep-parser, and tests/infra/test_bicep_sign_in.py checks what it declares.
CHECKOV_CANNOT_PARSE = {"modules/entra.bicep"}


@pytest.fixture(scope="module")
def scan():
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV.relative_to(ROOT)} is missing: `make test` (or `make checkov`) installs it")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BC_", "PRISMA_"))}
    env["LOG_LEVEL"] = "INFO"
    command = [str(CHECKOV), "--directory", "infra", "--framework", "bicep", "--skip-download", "--output", "json"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.stdout.strip(), f"checkov printed no report:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout), result.stderr, result.returncode


def test_checkov_scanned_every_bicep_file(scan):
    report, log, _ = scan
    files = {str(path.relative_to(INFRA)) for path in INFRA.rglob("*.bicep")}
    assert CHECKOV_CANNOT_PARSE <= files
    for name in CHECKOV_CANNOT_PARSE:  # only Microsoft Graph resources, nothing checkov checks
        text = (INFRA / name).read_text(encoding="utf-8")
        types = set(re.findall(r"^resource \w+ '([^@']+)@", text, flags=re.MULTILINE))
        assert types and all(kind.startswith("Microsoft.Graph/") for kind in types), name
    count = len(files)
    assert f"[bicep] start to parse {count} files" in log
    parsed = count - len(CHECKOV_CANNOT_PARSE)
    assert f"[bicep] successfully parsed {parsed} files" in log, "checkov could not parse some file (see its log)"
    errors = {str(Path(path).relative_to(INFRA)) for path in report["results"]["parsing_errors"]}
    assert errors <= CHECKOV_CANNOT_PARSE


def test_checkov_finds_no_failed_check(scan):
    report, _, returncode = scan
    failed = [
        f"{item['check_id']} {item['file_path']}:{item['resource']} ({item['check_name']})"
        for item in report["results"]["failed_checks"]
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    assert report["summary"]["failed"] == 0
    assert report["summary"]["passed"] > 0
    assert returncode == 0


def test_every_skipped_check_is_skipped_inline_with_a_reason(scan):
    report, _, _ = scan
    configs = [path for folder in (ROOT, INFRA) for path in folder.glob(".checkov.y*ml")]
    assert not configs, f"checks are skipped inline in the Bicep, not in a config file that hides them: {configs}"
    for item in report["results"]["skipped_checks"]:
        reason = item["check_result"].get("suppress_comment", "").strip()
        assert len(reason) > 20 and reason != "No comment provided", f"{item['check_id']} skipped without a reason"


def test_no_check_crashes_unaccounted(scan):
    report, log, _ = scan
    skipped = {(item["check_id"], item["resource"]) for item in report["results"]["skipped_checks"]}
    for check_id, _, resource in CRASHED.findall(log):
        assert (check_id, resource) in skipped, f"checkov crashed running {check_id} on {resource}"
