import csv
import json
import os
import warnings
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.evaluation import check_against_pool
from bestdev.pool import SAMPLE_POOL, load_pool
from bestdev.real_text import (
    ENV_VAR,
    HN_FILE,
    REAL_TEXT_CASES,
    HnRef,
    RealTextCase,
    RealTextError,
    RealTexts,
    SkillSpanRef,
    default_folder,
    is_real_text,
    join_tokens,
    load_real_text,
    load_resolved,
    pool_path,
    repair_sentences,
    resolve,
)

# Read before the autouse fixture clears BESTDEV_* variables from every test's environment.
_CONFIGURED_FOLDER = os.environ.get(ENV_VAR)
HN_ID = "00000000-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def real_texts() -> RealTexts:
    """The real third-party texts. Missing: a loud skip (with a warning in CI, where the folder should be)."""
    texts = RealTexts(Path(_CONFIGURED_FOLDER) if _CONFIGURED_FOLDER else default_folder())
    try:
        texts.check()
    except RealTextError as error:
        where = "CI" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "this machine"
        message = (
            f"!!! REAL-TEXT BENCHMARK TESTS SKIPPED on {where}: {error}. The benchmark's references were NOT "
            "checked. !!!"
        )
        print(f"\n{message}", flush=True)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    return texts


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    """A stand-in real-text folder in the real files' formats, for the join rules and the error paths."""
    posting = [
        {"idx": 7, "tokens": ["Senior", "Go", "Engineer"], "source": "tech"},
        {"idx": 7, "tokens": ["Experience", "with", "(", "Go", "gRPC", ")", "and", "Postgres", "."], "source": "tech"},
        {"idx": 7, "tokens": ["Bonus", ":", "Rust", "!"], "source": "tech"},
    ]
    (tmp_path / "skillspan-dev.jsonl").write_text("".join(json.dumps(row) + "\n" for row in posting), "utf-8")
    (tmp_path / "skillspan-test.jsonl").write_text("", "utf-8")
    with (tmp_path / HN_FILE).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["omni_id", "comment", "tech_stack"])
        writer.writerow([HN_ID, "Built with go and htmx.It works\nsee https://x.io", "[Go]"])
    return tmp_path


def test_tokens_are_joined_back_into_readable_text() -> None:
    assert join_tokens(["Experience", "with", "(", "Go", "gRPC", ")", "and", "Postgres", "."]) == (
        "Experience with (Go gRPC) and Postgres."
    )
    assert join_tokens(["C#/", ".", "NET", ",", "Java", ";", "SQL", ":", "yes", "?"]) == "C#/. NET, Java; SQL: yes?"


def test_glued_sentences_get_their_space_back() -> None:
    assert (
        repair_sentences("done.It works!Really: Yes) Next.Not e.g. here")
        == "done. It works! Really: Yes) Next. Not e.g. here"
    )
    assert repair_sentences("see [1].Then 2.Go") == "see [1]. Then 2. Go"
    assert repair_sentences("Node.js and ASP.NET") == "Node.js and ASP.NET"


def test_references_resolve_by_the_recorded_rules(small_folder: Path) -> None:
    texts = RealTexts(small_folder)
    assert (
        texts.text(SkillSpanRef(kind="skillspan", split="dev", idx=7, lines=[0, 2]))
        == "Senior Go Engineer\nBonus: Rust!"
    )
    assert texts.text(HnRef(kind="hn", omni_id=HN_ID, start=0, end=32)) == "Built with go and htmx. It works"


def test_a_reference_outside_its_text_is_refused(small_folder: Path) -> None:
    texts = RealTexts(small_folder)
    with pytest.raises(RealTextError, match=r"has 3 lines; \[3\] are outside it"):
        texts.text(SkillSpanRef(kind="skillspan", split="dev", idx=7, lines=[1, 3]))
    with pytest.raises(RealTextError, match="no posting with idx 8"):
        texts.text(SkillSpanRef(kind="skillspan", split="dev", idx=8, lines=[0]))
    with pytest.raises(RealTextError, match="span 10:500 is outside it"):
        texts.text(HnRef(kind="hn", omni_id=HN_ID, start=10, end=500))
    with pytest.raises(RealTextError, match="no row with omni_id nope"):
        texts.text(HnRef(kind="hn", omni_id="nope", start=0, end=5))


def test_a_case_holds_a_reference_or_its_own_text_never_both() -> None:
    source = {"kind": "hn", "omni_id": HN_ID, "start": 0, "end": 4}
    with pytest.raises(ValueError, match="exactly one of"):
        RealTextCase.model_validate({"id": "x", "category": "c", "expected": [], "source": source, "description": "y"})
    with pytest.raises(ValueError, match="exactly one of"):
        RealTextCase.model_validate({"id": "x", "category": "c", "expected": []})
    with pytest.raises(ValueError, match="must be after start"):
        HnRef(kind="hn", omni_id=HN_ID, start=4, end=4)


def test_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    with pytest.raises(RealTextError) as raised:
        load_resolved(folder=folder)
    message = str(raised.value)
    assert "\n" not in message
    assert str(folder) in message
    assert ENV_VAR in message
    assert "does not exist" in message


def test_a_folder_missing_a_file_names_the_file(small_folder: Path) -> None:
    (small_folder / HN_FILE).unlink()
    with pytest.raises(RealTextError, match=f"lacks {HN_FILE}: set {ENV_VAR}"):
        RealTexts(small_folder).check()


def test_the_cli_reports_a_missing_folder_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nowhere"
    assert main(["eval", "--real-text", "--real-text-dir", str(folder)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("bestdev: real-text folder")
    assert str(folder) in error
    assert ENV_VAR in error
    assert "docs/benchmarks.md, Getting the texts" in error


def test_the_cli_takes_the_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))
    assert main(["eval", "--real-text"]) == 2
    assert str(tmp_path / "from-env") in capsys.readouterr().err


def test_the_cli_runs_a_real_text_file_with_the_pool_it_names(
    small_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pool.json").write_text(SAMPLE_POOL.read_text("utf-8"), "utf-8")
    cases = {
        "format": "bestdev-real-text/1",
        "pool": "pool.json",
        "cases": [
            {
                "id": "ref",
                "category": "refs",
                "source": {"kind": "hn", "omni_id": HN_ID, "start": 0, "end": 22},
                "expected": ["Mikko Heikkinen"],
            },
            {"id": "own", "category": "finnish", "description": "Tarvitsemme Scala-kehittäjän.", "expected": []},
        ],
    }
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), "utf-8")
    out = tmp_path / "report.json"
    assert main(["eval", "--cases", str(path), "--real-text-dir", str(small_folder), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 cases" in printed
    assert "refs" in printed
    assert "finnish" in printed
    report = json.loads(out.read_text("utf-8"))
    assert [case["id"] for case in report["cases"]] == ["ref", "own"]


def test_the_bundled_file_is_a_real_text_benchmark_that_copies_no_third_party_text() -> None:
    assert is_real_text(REAL_TEXT_CASES)
    benchmark = load_real_text()
    inline = [case for case in benchmark.cases if case.description is not None]
    assert all(case.language in {"fi", "sv", "de"} for case in inline), "only our own writing is inline"
    referenced = [case for case in benchmark.cases if case.source is not None]
    assert len(referenced) >= 120
    assert len([case for case in inline if case.language in {"fi", "sv"}]) >= 20
    ids = [case.id for case in benchmark.cases]
    assert len(ids) == len(set(ids))


def test_the_benchmark_never_reads_skillspan_train() -> None:
    splits = {case.source.split for case in load_real_text().cases if isinstance(case.source, SkillSpanRef)}
    assert splits <= {"dev", "test"}


def test_every_expected_developer_is_in_the_benchmark_pool() -> None:
    benchmark = load_real_text()
    path = pool_path(REAL_TEXT_CASES, benchmark)
    assert path is not None
    pool = load_pool(path)
    missing = {name for case in benchmark.cases for name in case.expected if pool.find(name) is None}
    assert not missing
    assert 40 <= len(pool.developers) <= 60


def test_every_case_resolves_to_non_empty_text(real_texts: RealTexts) -> None:
    benchmark = load_real_text()
    resolved = resolve(benchmark, real_texts)
    assert len(resolved.cases) == len(benchmark.cases)
    for case in resolved.cases:
        assert case.description.strip(), case.id
    path = pool_path(REAL_TEXT_CASES, benchmark)
    assert path is not None
    check_against_pool(resolved, load_pool(path))


def test_every_skillspan_reference_is_within_its_posting(real_texts: RealTexts) -> None:
    for case in load_real_text().cases:
        if isinstance(case.source, SkillSpanRef):
            posting = real_texts.posting(case.source.split, case.source.idx)
            assert all(line < len(posting) for line in case.source.lines), case.id
            assert all(posting[line] for line in case.source.lines), f"{case.id}: an empty line"


def test_every_hn_span_is_within_its_comment(real_texts: RealTexts) -> None:
    for case in load_real_text().cases:
        if isinstance(case.source, HnRef):
            comment = real_texts.comment(case.source.omni_id)
            assert case.source.end <= len(comment), case.id
            assert comment[case.source.start : case.source.end].strip(), case.id
