"""The command line's rules: where a description comes from (argument, standard input, file), an option the
command does not use is an error, and every option explains itself in --help."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from pathlib import Path

import pytest

from bestdev.cli import build_parser, main
from bestdev.pool import SAMPLE_POOL

JAVA = "Java, Spring Boot, Kafka and a Postgres database"


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No local.settings.json of the developer's is read."""
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def answer(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, "recommend", *argv, "--json")
    assert code == 0, err
    body: dict[str, object] = json.loads(out)
    return body


def test_a_dash_reads_the_description_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(JAVA + "\n"))
    from_stdin = answer(capsys, "-")
    assert from_stdin == answer(capsys, JAVA)
    assert from_stdin["understood"], "the text was read, not the dash"


def test_file_reads_the_description_from_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    job_ad = tmp_path / "job-ad.txt"
    job_ad.write_text(f"Our team\n\n{JAVA}.\nNice to have: Docker.\n", encoding="utf-8")
    from_file = answer(capsys, "--file", str(job_ad))
    technologies = [item["technology"] for item in from_file["understood"]]  # type: ignore[attr-defined]
    assert {"Java", "Spring Boot", "Kafka", "PostgreSQL", "Docker"} <= set(technologies)


def test_a_missing_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "recommend", "--file", str(tmp_path / "nowhere.txt"))
    assert (code, out) == (2, "")
    assert err.startswith(f"bestdev: cannot read the description from {tmp_path / 'nowhere.txt'}")


def test_a_file_over_the_limit_is_refused_like_the_api(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    long_ad = tmp_path / "long.txt"
    long_ad.write_text("Python " * 700, encoding="utf-8")
    code, _, err = run(capsys, "recommend", "--file", str(long_ad))
    assert code == 2
    assert err.startswith("bestdev: description:")
    assert "at most 4000 characters" in err


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        ((), "bestdev: give the description"),
        ((JAVA, "--file", "ad.txt"), "bestdev: give the description as an argument, as - (standard input) or with"),
        (("-", "--file", "ad.txt"), "bestdev: give the description as an argument"),
    ],
)
def test_one_description_exactly(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, "recommend", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(problem)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("recommend", JAVA, "--max-size", "3"), "bestdev: --max-size does not apply here: it sets the size of a team"),
        (("recommend", JAVA, "--team", "--top-k", "2"), "bestdev: --top-k does not apply here: a team's size is set"),
        (("eval", "--real-text-dir", "texts"), "bestdev: --real-text-dir does not apply here: only the real-text"),
    ],
)
def test_an_option_that_does_not_apply_is_an_error(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], problem: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(problem)


def test_the_options_that_apply_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(answer(capsys, JAVA, "--top-k", "2")["recommendations"]) == 2  # type: ignore[arg-type]
    assert len(answer(capsys, JAVA, "--team", "--max-size", "1")["members"]) == 1  # type: ignore[arg-type]


def test_pool_takes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pool = tmp_path / "pool.json"
    shutil.copy(SAMPLE_POOL, pool)
    assert answer(capsys, JAVA, "--pool", str(pool)) == answer(capsys, JAVA)


def _options(parser: argparse.ArgumentParser, prefix: str) -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _options(sub, f"{prefix} {name}")
        elif not isinstance(action, argparse._HelpAction):
            found.append((prefix, action))
    return found


def test_every_option_and_argument_has_help() -> None:
    options = _options(build_parser(), "bestdev")
    assert len(options) > 50
    assert [(where, action.dest) for where, action in options if not action.help] == []


def test_serve_help_explains_host_and_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--host HOST address to listen on (default 127.0.0.1" in text
    assert "--port PORT port to listen on (default 7071" in text


def test_the_sku_help_names_the_deployment_types_infra_allows(capsys: pytest.CaptureFixture[str]) -> None:
    infra = (Path(__file__).resolve().parents[2] / "infra" / "main.bicep").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["finetune", "deploy", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for sku in ("Standard", "GlobalStandard", "DeveloperTier"):
        assert f"'{sku}'" in infra
        assert sku in text
    assert "Developer ..." not in text
