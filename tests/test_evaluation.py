import json
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.evaluation import (
    Benchmark,
    BenchmarkCase,
    EvaluationError,
    check_against_pool,
    evaluate,
    format_report,
    load_benchmark,
)
from bestdev.pool import Pool
from bestdev.recommend.base import Backend, Outcome, Recommendation
from bestdev.recommend.local import LocalRecommender
from tests.fakes.openai_model import FakeModel, Reply


class Scripted:
    """A recommender that answers from a script, to pin down the metric definitions."""

    backend: Backend = "local"

    def __init__(self, pool: Pool, answers: dict[str, list[tuple[str, tuple[str, ...]]]]) -> None:
        self.pool = pool
        self.answers = answers

    async def recommend(self, description: str, top_k: int) -> Outcome:
        picks = self.answers[description][:top_k]
        return Outcome(
            recommendations=tuple(Recommendation(name, "", skills, 1.0) for name, skills in picks), backend="local"
        )

    async def aclose(self) -> None:
        return None


def case(case_id: str, category: str, expected: list[str]) -> BenchmarkCase:
    return BenchmarkCase(id=case_id, category=category, description=case_id, expected=expected)


async def test_metrics_follow_their_definitions(pool: Pool) -> None:
    benchmark = Benchmark(
        cases=[
            case("hit", "a", ["Bob Bobsson"]),
            case("second", "a", ["Kim Kimsson"]),
            case("miss", "b", ["Chen Wei"]),
            case("nobody", "c", []),
            case("wrongly-empty", "b", ["Maria García"]),
            case("invented", "b", ["Bob Bobsson"]),
        ]
    )
    recommender = Scripted(
        pool,
        {
            "hit": [("Bob Bobsson", ("Python",))],
            "second": [("Ahmed Hassan", ("Kubernetes",)), ("Kim Kimsson", ("Kubernetes",))],
            "miss": [("Sofia Rossi", ("React",))],
            "nobody": [],
            "wrongly-empty": [],
            "invented": [("Bob Bobsson", ("COBOL",)), ("Someone Else", ())],
        },
    )
    report = await evaluate(recommender, benchmark)
    overall = report.by_category["overall"]
    assert overall.cases == 6
    assert overall.accuracy_at_1 == pytest.approx(3 / 6)
    assert overall.recall_at_3 == pytest.approx(4 / 6)
    assert overall.mrr == pytest.approx((1 + 0.5 + 1 + 1) / 6)
    assert overall.no_match_precision == pytest.approx(1 / 2)
    assert overall.grounded_share == pytest.approx(5 / 6)
    assert report.by_category["a"].accuracy_at_1 == 0.5
    assert report.by_category["a"].no_match_precision is None
    assert report.by_category["c"].no_match_precision == 1.0
    text = format_report(report)
    assert "overall" in text
    assert "second: answered ['Ahmed Hassan', 'Kim Kimsson']" in text
    assert json.loads(report.to_json())["cases"][1]["rank"] == 2


async def test_public_benchmark_meets_the_goals_with_the_local_recommender(pool: Pool, local: LocalRecommender) -> None:
    benchmark = load_benchmark()
    check_against_pool(benchmark, pool)
    assert len(benchmark.cases) >= 80
    report = await evaluate(local, benchmark)
    for category, metrics in report.by_category.items():
        goal = 0.80 if category == "related" else 0.95
        assert metrics.accuracy_at_1 >= goal, category
        assert metrics.grounded_share == 1.0, category
    assert report.by_category["no_match"].accuracy_at_1 == 1.0
    assert report.by_category["overall"].no_match_precision == 1.0


def test_a_broken_benchmark_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text('{"cases": [{"id": "x", "category": "c"}]}', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"cases.json: cases\.0\.description"):
        load_benchmark(path)
    with pytest.raises(EvaluationError, match="cannot be read"):
        load_benchmark(tmp_path / "missing.json")


def test_expected_developers_must_be_in_the_pool(pool: Pool) -> None:
    with pytest.raises(EvaluationError, match="Nobody Known"):
        check_against_pool(Benchmark(cases=[case("x", "c", ["Nobody Known"])]), pool)


@pytest.fixture
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty working directory, so no local.settings.json of the developer's is read."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_eval_command_prints_and_writes_the_report(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = workdir / "report.json"
    assert main(["eval", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "backend local" in printed
    assert "acc@1" in printed
    assert "overall" in printed
    metrics = json.loads(out.read_text(encoding="utf-8"))["metrics"]
    assert set(metrics) >= {"template", "free_text", "alias", "ambiguous", "related", "no_match", "overall"}


def test_eval_command_rejects_cases_that_do_not_fit_the_pool(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = workdir / "cases.json"
    cases.write_text(json.dumps({"cases": [{"id": "x", "category": "c", "description": "Go", "expected": ["Q"]}]}))
    assert main(["eval", "--cases", str(cases)]) == 2
    assert "not in the pool" in capsys.readouterr().err


def test_eval_command_measures_the_fine_tuned_model_when_azure_is_configured(
    workdir: Path,
    fake_model: FakeModel,
    fake_model_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for variable, value in {
        "AZURE_OPENAI_ENDPOINT": fake_model_url,
        "AZURE_OPENAI_DEPLOYMENT": "bestdev-ft",
        "AZURE_OPENAI_API_KEY": "test-key",
        "BESTDEV_MODEL_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(variable, value)
    fake_model.default = Reply.answer(" Bob Bobsson, because they have experience with Python.")
    cases = workdir / "cases.json"
    cases.write_text(
        json.dumps(
            {
                "cases": [
                    {"id": "ml", "category": "c", "description": "Python and TensorFlow", "expected": ["Bob Bobsson"]},
                    {"id": "rn", "category": "c", "description": "React Native app", "expected": ["Chen Wei"]},
                    {"id": "none", "category": "n", "description": "COBOL", "expected": []},
                ]
            }
        )
    )
    out = workdir / "report.json"
    assert main(["eval", "--cases", str(cases), "--json", str(out)]) == 0
    assert "backend azure-openai (bestdev-ft)" in capsys.readouterr().out
    assert len(fake_model.calls) == 3
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["metrics"]["overall"]["accuracy_at_1"] == 1.0
    assert report["metrics"]["overall"]["grounded_share"] == 1.0
