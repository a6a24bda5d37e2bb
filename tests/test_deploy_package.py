"""What a deployment ships, and what git keeps: `.funcignore` and `.gitignore` replayed by git itself.

Both files use gitignore syntax (azd and Core Tools read `.funcignore` so). The replay copies a rule file into
an empty repository as its `.gitignore`, creates empty files at the repository's paths plus the local data a
developer's checkout accumulates, and asks git which files it would keep: exactly what would be zipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_FILES = {"function_app.py", "host.json", "requirements.txt"}

# What a working checkout holds besides the tracked files: local data, exports, runs, caches and build output.
LOCAL_DATA = [
    ".bestdev/feedback.sqlite3",
    ".bestdev/feedback.sqlite3-wal",
    "feedback.jsonl",
    "feedback-2026-12.jsonl",
    "data/train.jsonl",
    "data/valid.jsonl",
    "runs/ftjob-1/results.csv",
    "exports/feedback.csv",
    "finetune-runs/ftjob-1/results.csv",
    "tools/azurite/node_modules/azurite/package.json",
    "test-artifacts/mutation/template.json",
    "bench/results/throttle.json",
    "build/lib/bestdev/pool.py",
    "dist/bestdev-0.1.0-py3-none-any.whl",
    "bestdev.egg-info/PKG-INFO",
    "bestdev/__pycache__/pool.cpython-311.pyc",
    "bestdev/api/__pycache__/app.cpython-311.pyc",
    ".venv/bin/python",
    ".venv-checkov/bin/python",
    ".azure/dev/.env",
    ".coverage",
    "local.settings.json",
    ".python_packages/lib/site-packages/openai/__init__.py",
]


def tracked() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True)
    return [name for name in listed.stdout.split("\0") if name]


@pytest.fixture(scope="module")
def git() -> str:
    found = shutil.which("git")
    if found is None:  # pragma: no cover - the repository is a git checkout
        pytest.fail("git is needed to replay the ignore rules")
    return found


def kept(git: str, rules: Path, files: list[str], where: Path) -> set[str]:
    """The files git would keep in a tree of `files` ignored by `rules`: what a package of it would hold."""
    where.mkdir()
    subprocess.run([git, "init", "--quiet", str(where)], check=True)
    shutil.copyfile(rules, where / ".gitignore")
    for name in files:
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    listed = subprocess.run(
        [git, "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=where,
        capture_output=True,
        check=True,
        text=True,
    )
    return {name for name in listed.stdout.split("\0") if name} - {".gitignore"}


def app_files(files: list[str]) -> set[str]:
    return APP_FILES | {name for name in files if name.startswith("bestdev/") and "__pycache__" not in name}


def test_the_package_of_the_repository_holds_only_the_app(git: str, tmp_path: Path) -> None:
    files = tracked()
    shipped = kept(git, ROOT / ".funcignore", files, tmp_path / "tree")
    assert shipped == app_files(files), {
        "would ship": sorted(shipped - app_files(files)),
        "would miss": sorted(app_files(files) - shipped),
    }


def test_local_data_and_build_output_never_ship(git: str, tmp_path: Path) -> None:
    files = [*tracked(), *LOCAL_DATA]
    shipped = kept(git, ROOT / ".funcignore", files, tmp_path / "tree")
    assert shipped == app_files(tracked()), sorted(shipped ^ app_files(tracked()))


def test_the_static_page_and_the_data_files_ship(git: str, tmp_path: Path) -> None:
    shipped = kept(git, ROOT / ".funcignore", tracked(), tmp_path / "tree")
    needed = {"bestdev/api/static/index.html", "bestdev/data/sample_pool.json", "bestdev/skills/technologies.toml"}
    assert needed <= shipped


def test_git_keeps_no_local_data(git: str, tmp_path: Path) -> None:
    kept_by_git = kept(git, ROOT / ".gitignore", LOCAL_DATA, tmp_path / "tree")
    assert kept_by_git == set(), sorted(kept_by_git)


def test_git_still_keeps_every_tracked_file(git: str, tmp_path: Path) -> None:
    files = tracked()
    assert kept(git, ROOT / ".gitignore", files, tmp_path / "tree") == set(files) - {".gitignore"}
