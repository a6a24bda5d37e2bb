"""No secrets in the repository: every file git would commit is scanned for key-like strings.

Keys belong in app settings (Key Vault references or managed identity in Azure, local.settings.json locally,
which git ignores). The detectors are tested on synthetic secrets built at run time, so this file holds none.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DETECTORS: dict[str, re.Pattern[str]] = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"),
    "connection string key": re.compile(r"(?i)\b(?:AccountKey|SharedAccessKey|AccessKey)\s*=\s*[A-Za-z0-9+/]{16,}"),
    "connection string password": re.compile(r"(?i);\s*(?:Password|Pwd)\s*=\s*[^;\s\"'`<>{}$]{6,}"),
    "SAS signature": re.compile(r"[?&]sig=[A-Za-z0-9%+/=]{20,}"),
    "bearer token": re.compile(r"(?i)\bBearer\s+[A-Za-z0-9\-._~+/]{20,}=*"),
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    "Azure key (32 hex)": re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])"),
    "Azure key (84 chars)": re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{52}JQQJ9[0-9A-Za-z]{27}(?![0-9A-Za-z])"),
    "storage account key": re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])"),
    "assigned secret": re.compile(
        r"(?i)(?:api[-_]?key|client[-_]?secret|secret|password|access[-_]?token|auth[-_]?token)[\"']?\s*[:=]\s*"
        r"[\"']([A-Za-z0-9+/_\-.~]{16,}=*)[\"']"
    ),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
}


SECRET_SETTING = re.compile(r"(?i)(?:^|_)(?:KEY|SECRET|PASSWORD|TOKEN|CONNECTION(?:_?STRING)?)(?:_|$)")


def committed_files() -> list[Path]:
    """Tracked files, and untracked ones git would add (not ignored)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing is about to be committed")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def findings(text: str) -> list[str]:
    return [f"{kind}: {match.group()[:24]}…" for kind, pattern in DETECTORS.items() for match in pattern.finditer(text)]


def test_no_file_git_would_commit_holds_a_key_like_string() -> None:
    files = committed_files()
    assert len(files) > 20
    problems = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: images and the like
        problems += [f"{path.relative_to(ROOT)}: {finding}" for finding in findings(text)]
    assert not problems, "\n".join(problems)


def test_local_settings_are_ignored_and_the_sample_holds_no_secret() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", "local.settings.json"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "local.settings.json must be in .gitignore"
    values = json.loads((ROOT / "local.settings.sample.json").read_text())["Values"]
    for name, value in values.items():
        if SECRET_SETTING.search(name) or name == "AzureWebJobsStorage":
            assert value in ("", "UseDevelopmentStorage=true"), f"{name} has a value in the sample"


def fake(alphabet: str, length: int, seed: int = 7) -> str:
    """A deterministic random-looking string, so no real-looking secret is written in this file."""
    return "".join(alphabet[(seed * 31 + index * 17 + index * index) % len(alphabet)] for index in range(length))


HEX = "0123456789abcdef"
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B64 = B62 + "+/"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("private key", "-----BEGIN " + "RSA PRIVATE " + "KEY-----\nMIIE..."),
        ("private key", "-----BEGIN " + "OPENSSH PRIVATE " + "KEY-----"),
        ("connection string key", "DefaultEndpointsProtocol=https;AccountName=x;Account" + "Key=" + fake(B64, 40)),
        ("connection string key", "Endpoint=sb://x.servicebus.windows.net/;SharedAccess" + "Key=" + fake(B64, 44)),
        ("connection string password", "Server=tcp:x.database.windows.net;User ID=app;Pass" + "word=" + fake(B62, 12)),
        ("SAS signature", "https://x.blob.core.windows.net/c?sv=2022-11-02&s" + "ig=" + fake(B62, 43) + "%3D"),
        ("bearer token", 'headers = {"Authorization": "Bear' + "er " + fake(B62, 40) + '"}'),
        ("JWT", "token = e" + "yJ" + fake(B62, 20) + ".e" + "yJ" + fake(B62, 30) + "." + fake(B62, 43)),
        ("Azure key (32 hex)", 'AZURE_OPENAI_API_KEY="' + fake(HEX, 32) + '"'),
        ("Azure key (84 chars)", "key: " + fake(B62, 52) + "JQQJ9" + "9" + fake(B62, 26)),
        ("storage account key", fake(B64, 86) + "=" + "="),
        ("assigned secret", 'client_secret = "' + fake(B62 + "~.", 34) + '"'),
        ("GitHub token", "gh" + "p_" + fake(B62, 36)),
        ("AWS access key", "AK" + "IA" + fake("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
    ],
)
def test_each_detector_finds_its_kind_of_secret(kind: str, text: str) -> None:
    assert any(found.startswith(f"{kind}:") for found in findings(text)), findings(text)


@pytest.mark.parametrize(
    "text",
    [
        '"AZURE_OPENAI_API_KEY": ""',
        "AZURE_OPENAI_API_KEY=<your key>",
        "AzureWebJobsStorage=UseDevelopmentStorage=true",
        "connection strings with `AccountKey=`/`SharedAccessKey=` are refused",
        'headers={"Authorization": f"Bearer {token}"}',
        "sha256 " + fake(HEX, 12),
        "commit " + fake(HEX, 40),
        "api_key=settings.azure_openai_api_key",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert findings(text) == []
