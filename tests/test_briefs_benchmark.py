"""The briefs benchmark: open-source project briefs referenced by id and length, split by source into the sources
rules were written on and those held out, and reported per split."""

import json
import os
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.evaluation import check_against_pool
from bestdev.pool import SAMPLE_POOL, load_pool
from bestdev.real_text import (
    BRIEFS_CASES,
    BRIEFS_FILE,
    ENV_VAR,
    BriefRef,
    RealTextBenchmark,
    RealTextError,
    RealTexts,
    default_folder,
    load_real_text,
    pool_path,
    resolve,
)

_CONFIGURED_FOLDER = os.environ.get(ENV_VAR)
FRESH_CASES = BRIEFS_CASES.with_name("briefs_fresh_cases.json")
BRIEF = "Add a Go client\n\n- Recommended Skills: Go, Kubernetes"


@pytest.fixture
def briefs_folder(tmp_path: Path) -> Path:
    rows = [
        {"id": "cncf-1", "source": {}, "title": "Go client", "text": BRIEF},
        {"id": "kotlin-1", "source": {}, "title": "Nothing", "text": "A Kotlin LSP.\n\nPreferred skills: Kotlin"},
    ]
    (tmp_path / BRIEFS_FILE).write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return tmp_path


def _benchmark(**overrides: object) -> dict[str, object]:
    return {
        "format": "bestdev-real-text/1",
        "pool": "pool.json",
        "splits": {"rules": ["cncf"], "held-out": ["kotlin"]},
        "cases": [
            {
                "id": "go",
                "category": "rules/cncf",
                "source": {"kind": "brief", "id": "cncf-1", "chars": len(BRIEF)},
                "expected": ["Mikko Heikkinen"],
            },
            {
                "id": "kotlin",
                "category": "held-out/kotlin",
                "source": {"kind": "brief", "id": "kotlin-1", "chars": 39},
                "expected": [],
            },
        ],
        **overrides,
    }


def test_a_brief_resolves_by_id_to_its_text(briefs_folder: Path) -> None:
    benchmark = RealTextBenchmark.model_validate(_benchmark())
    resolved = resolve(benchmark, RealTexts(briefs_folder))
    assert resolved.cases[0].description == BRIEF
    assert [case.category for case in resolved.cases] == ["rules/cncf", "held-out/kotlin"]


def test_a_changed_brief_is_refused_naming_it(briefs_folder: Path) -> None:
    data = _benchmark()
    data["cases"][0]["source"]["chars"] = 5  # type: ignore[index]
    with pytest.raises(RealTextError, match="cncf-1 is 53 characters, not 5"):
        resolve(RealTextBenchmark.model_validate(data), RealTexts(briefs_folder))


def test_an_unknown_brief_is_refused(briefs_folder: Path) -> None:
    data = _benchmark()
    data["cases"][0]["source"]["id"] = "cncf-9"  # type: ignore[index]
    with pytest.raises(RealTextError, match="no brief with id cncf-9"):
        resolve(RealTextBenchmark.model_validate(data), RealTexts(briefs_folder))


def test_only_the_briefs_file_is_needed_for_briefs(briefs_folder: Path) -> None:
    assert not (briefs_folder / "skillspan-dev.jsonl").exists()
    resolve(RealTextBenchmark.model_validate(_benchmark()), RealTexts(briefs_folder))


@pytest.mark.parametrize(
    ("splits", "category", "problem"),
    [
        ({"rules": ["cncf"], "held-out": ["kotlin"]}, "held-out/cncf", "category must be rules/'cncf'"),
        ({"rules": ["cncf"], "held-out": ["cncf", "kotlin"]}, "rules/cncf", "more than one split"),
        ({"rules": ["cncf"]}, "rules/cncf", "'kotlin' is in no split"),
    ],
)
def test_every_brief_sits_in_exactly_its_sources_split(
    splits: dict[str, list[str]], category: str, problem: str
) -> None:
    data = _benchmark(splits=splits)
    data["cases"][0]["category"] = category  # type: ignore[index]
    with pytest.raises(ValueError, match=problem):
        RealTextBenchmark.model_validate(data)


def test_the_cli_reports_each_split_and_each_source(
    briefs_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pool.json").write_text(SAMPLE_POOL.read_text("utf-8"), "utf-8")
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(_benchmark()), "utf-8")
    assert main(["eval", "--briefs", "--cases", str(path), "--real-text-dir", str(briefs_folder)]) == 0
    rows = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert {"rules/cncf", "held-out/kotlin", "rules", "held-out", "overall"} <= rows


def test_the_bundled_briefs_benchmark_splits_its_sources_and_copies_no_text() -> None:
    benchmark = load_real_text(BRIEFS_CASES)
    assert benchmark.splits["rules"] == ["cncf"]
    assert set(benchmark.splits["held-out"]) == {"asyncapi", "kotlin", "nixos", "julia"}
    assert all(isinstance(case.source, BriefRef) and case.description is None for case in benchmark.cases)
    by_split = {split: [c for c in benchmark.cases if c.category.startswith(f"{split}/")] for split in benchmark.splits}
    assert len(by_split["rules"]) >= 40
    assert len(by_split["held-out"]) >= 30
    assert any(not case.expected for case in by_split["held-out"]), "held-out has nobody-fits cases"
    path = pool_path(BRIEFS_CASES, benchmark)
    assert path is not None
    pool = load_pool(path)
    assert not {name for case in benchmark.cases for name in case.expected if pool.find(name) is None}


@pytest.mark.parametrize("cases", [BRIEFS_CASES, FRESH_CASES], ids=["briefs", "fresh"])
def test_every_bundled_brief_resolves_to_the_text_it_was_labelled_on(cases: Path) -> None:
    texts = RealTexts(Path(_CONFIGURED_FOLDER) if _CONFIGURED_FOLDER else default_folder())
    if not (texts.folder / BRIEFS_FILE).is_file():
        pytest.skip(f"!!! BRIEFS BENCHMARK NOT CHECKED: {texts.folder / BRIEFS_FILE} is missing; set {ENV_VAR} !!!")
    benchmark = load_real_text(cases)
    resolved = resolve(benchmark, texts)
    path = pool_path(cases, benchmark)
    assert path is not None
    check_against_pool(resolved, load_pool(path))
    assert all(case.description.strip() for case in resolved.cases)


def test_the_fresh_sample_holds_only_briefs_of_held_out_sources_not_in_the_benchmark() -> None:
    fresh, benchmark = load_real_text(FRESH_CASES), load_real_text(BRIEFS_CASES)
    assert set(fresh.splits["fresh"]) == set(benchmark.splits["held-out"])
    ids = {case.source.id for case in benchmark.cases if isinstance(case.source, BriefRef)}
    assert all(isinstance(case.source, BriefRef) and case.description is None for case in fresh.cases)
    assert not ids & {case.source.id for case in fresh.cases if isinstance(case.source, BriefRef)}
