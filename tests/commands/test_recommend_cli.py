"""`bestdev recommend`: the API's answer in a terminal, and its JSON for scripts, through either backend."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev.cli import main
from tests.conftest import DEPLOYMENT
from tests.fakes.openai_model import FakeModel, Reply

JAVA = "Java, Spring Boot, Kafka and a Postgres database"
FOUR_PEOPLE = "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports"


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No local.settings.json of the developer's is read."""
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["recommend", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def without_request_id(body: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in body.items() if key != "request_id"}


def test_json_is_the_api_s_body(capsys: pytest.CaptureFixture[str], local_client: TestClient) -> None:
    code, out, _ = run(capsys, JAVA, "--top-k", "2", "--json")
    assert code == 0
    api = local_client.post("/api/recommend", json={"description": JAVA, "top_k": 2}).json()
    assert json.loads(out) == without_request_id(api)


def test_team_json_is_the_api_s_body(capsys: pytest.CaptureFixture[str], local_client: TestClient) -> None:
    code, out, _ = run(capsys, FOUR_PEOPLE, "--team", "--max-size", "3", "--json")
    assert code == 0
    api = local_client.post("/api/team", json={"description": FOUR_PEOPLE, "max_size": 3}).json()
    assert json.loads(out) == without_request_id(api)


def test_the_table_shows_what_was_read_fit_matched_and_missing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, JAVA)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == 'Read: Java, Spring Boot, Kafka, PostgreSQL ("Postgres")'
    assert lines[1] == "Answered by: local"
    header = lines[3].split()
    assert header == ["#", "Developer", "Title", "Fit", "Matched", "Missing", "Available"]
    first = lines[4]
    assert first.startswith("1  Lucas Martin")
    assert "88%" in first  # PostgreSQL missing, SQL (the broader technology) held: half of it
    assert re.search(r"PostgreSQL +now$", first)


def test_nobody_fits_shows_the_closest_as_not_a_fit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "Svelte is a must. The backend uses Kafka.")
    assert code == 0
    assert "Read: Svelte*, Kafka  (* must-have)" in out
    assert "Nobody fits. Nobody in the pool lists Svelte." in out
    closest = out.split("Closest, but not a fit:\n", 1)[1].splitlines()
    assert closest[0].split() == ["Developer", "Title", "Holds", "Missing"]
    assert all(row.rstrip().endswith("Svelte") for row in closest[1:])


def test_the_team_table_says_who_covers_what_and_what_nobody_does(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, f"{FOUR_PEOPLE}, a Svelte admin", "--team", "--max-size", "3")
    assert code == 0
    assert "Member" in out
    assert "Covers" in out
    assert "Nobody covers: Svelte" in out
    assert "Needs a larger team: " in out


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("   ",), "description"),
        (("Go", "--top-k", "11"), "--top-k"),
        (("Go", "--team", "--max-size", "0"), "--max-size"),
    ],
)
def test_bad_input_is_a_clear_error(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], problem: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith(f"bestdev: {problem}")


def test_the_fine_tuned_backend_answers_when_configured(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake_model: FakeModel, fake_model_url: str
) -> None:
    for name, value in {
        "AZURE_OPENAI_ENDPOINT": fake_model_url,
        "AZURE_OPENAI_DEPLOYMENT": DEPLOYMENT,
        "AZURE_OPENAI_API_KEY": "test-key",
        "BESTDEV_MODEL_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    fake_model.script(Reply.answer(" Chen Wei, because they have experience with React Native."))
    code, out, _ = run(capsys, FOUR_PEOPLE, "--team", "--json")
    body = json.loads(out)
    assert code == 0
    assert (body["backend"], body["model"]) == ("azure-openai", DEPLOYMENT)
    assert body["members"][0]["name"] == "Chen Wei"
    fake_model.script(Reply.error(400, "bad"))
    monkeypatch.setenv("BESTDEV_FALLBACK", "none")
    code, out, err = run(capsys, JAVA)
    assert code == 3
    assert err.startswith("bestdev: the model gave no usable answer")


def test_the_table_says_what_was_not_recognised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "Our stack: Gleam, Kafka and a Kubernets cluster")
    assert code == 0
    assert out.splitlines()[1] == "Not recognised, so not weighed: Gleam, Kubernets (did you mean Kubernetes?)"
    code, out, _ = run(capsys, "--team", "Our stack: Gleam, Kafka and a Kubernets cluster")
    assert code == 0
    assert out.splitlines()[1].startswith("Not recognised, so not weighed: Gleam")


def test_the_table_says_when_each_is_free_by_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "A React Native app with Firebase", "--start", "2027-01-15")
    assert code == 0
    assert out.splitlines()[4].endswith("from 2027-02-01 (not by the start)")


def test_a_start_that_is_not_a_day_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["recommend", "Go", "--start", "soon"])
    assert exited.value.code == 2
    assert "not a date (YYYY-MM-DD): 'soon'" in capsys.readouterr().err
