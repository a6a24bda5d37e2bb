"""Blue/green deployments end to end: the real CLI, the real SDK and management calls, the fake Azure on 127.0.0.1
(which refuses a model change on an existing deployment, as Azure does, and serves the Function App's settings).

A second model deploys to a deployment of its own; the app's settings switch only when the new deployment
answers; promote refuses a worse candidate and switches a better one; rollback and undeploy work; and no command
ever puts a different model into an existing deployment."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bestdev import template
from bestdev.cli import main
from bestdev.evaluation import load_benchmark
from bestdev.finetune.serving import deployment_name
from bestdev.pool import load_pool
from bestdev.recommend.local import LocalRecommender
from tests.fakes.credential import FakeCredential
from tests.fakes.fine_tuning import FakeFineTuning

FAST = ["--interval", "0.01", "--timeout", "5", "--patience", "3"]
FIRST = "gpt-4.1-mini-2025-04-14.ft-first"
SECOND = "gpt-4.1-mini-2025-04-14.ft-second"
APP = "func-api-test"


@pytest.fixture
def azure(
    fine_tuning_environment: Path,
    fake_fine_tuning: FakeFineTuning,
    fine_tuning_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> FakeFineTuning:
    """The account and Function App of an `azd up`, with the login the CLI takes from DefaultAzureCredential."""
    monkeypatch.setattr("bestdev.model.client.default_credential", lambda settings: FakeCredential())
    monkeypatch.setenv("AZURE_OPENAI_ACCOUNT", "bestdev-openai")
    monkeypatch.setenv("AZURE_FUNCTION_APP_NAME", APP)
    monkeypatch.setenv("BESTDEV_REAL_TEXT_DIR", str(fine_tuning_environment / "no-real-texts"))
    monkeypatch.setenv("PATH", str(fine_tuning_environment / "no-azd"))  # no azd here: the CLI prints its commands
    fake_fine_tuning.account_endpoint = fine_tuning_url
    fake_fine_tuning.app_settings = {"FUNCTIONS_EXTENSION_VERSION": "~4", "BESTDEV_FALLBACK": "local"}
    return fake_fine_tuning


def run(*argv: str) -> int:
    return main(["finetune", *argv, *FAST])


def models_put_into(fake: FakeFineTuning) -> dict[str, set[str]]:
    """Every model any PUT asked each deployment to hold."""
    asked: dict[str, set[str]] = {}
    for call in fake.calls:
        if call.method == "PUT" and "/deployments/" in call.path:
            asked.setdefault(call.path.rsplit("/", 1)[1], set()).add(call.body["properties"]["model"]["name"])
    return asked


def never_changed_a_model(fake: FakeFineTuning) -> bool:
    return all(len(models) == 1 for models in models_put_into(fake).values())


@pytest.fixture(scope="module")
def local_answers() -> dict[str, str]:
    """The local recommender's pick for each public benchmark case, as a model's completion."""
    pool = load_pool()
    local = LocalRecommender(pool)

    async def picks() -> dict[str, str]:
        answers = {}
        for case in load_benchmark().cases:
            outcome = await local.recommend(case.description, 3)
            top = outcome.recommendations[0] if outcome.recommendations else None
            answers[template.sanitize(case.description)] = (
                template.completion(top.name, template.reason(list(top.matched_skills)))
                if top
                else template.completion(None, template.no_match_reason())
            )
        return answers

    return asyncio.run(picks())


def answering_like(answers: dict[str, str]) -> Callable[[str], str]:
    def answer(prompt: str) -> str:
        for description, completion in answers.items():
            if description in prompt:
                return completion
        return template.completion(None, template.no_match_reason())

    return answer


def test_each_model_gets_a_deployment_of_its_own_and_the_app_switches_to_it(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(FIRST)
    assert run("deploy", SECOND) == 0
    out = capsys.readouterr().out
    assert set(azure.deployments) == {deployment_name(FIRST), deployment_name(SECOND)}
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(SECOND)
    assert azure.app_settings["BESTDEV_FINE_TUNED_MODEL"] == SECOND
    assert azure.app_settings["FUNCTIONS_EXTENSION_VERSION"] == "~4"  # the app's other settings are kept
    assert f"before: {deployment_name(FIRST)}" in out
    assert "azd env set BESTDEV_SERVING_DEPLOYMENT" in out
    assert never_changed_a_model(azure)


def test_deploying_the_same_model_again_reuses_its_deployment(azure: FakeFineTuning) -> None:
    assert run("deploy", FIRST) == 0
    puts = len(models_put_into(azure)[deployment_name(FIRST)])
    assert run("deploy", FIRST) == 0
    assert len([c for c in azure.calls if c.method == "PUT" and "/deployments/" in c.path]) == puts


def test_a_deployment_holding_another_model_is_never_changed(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    held = azure.deployments[deployment_name(FIRST)]
    held["properties"]["model"]["name"] = "gpt-4.1-mini-2025-04-14.ft-someone-else"
    assert run("deploy", FIRST) == 1
    assert "a deployment's model never changes" in capsys.readouterr().err
    assert never_changed_a_model(azure)


def test_the_fake_refuses_a_model_change_as_azure_does(azure: FakeFineTuning, fine_tuning_url: str) -> None:
    import httpx2

    path = (
        "/subscriptions/sub-1/resourceGroups/rg-bestdev/providers/Microsoft.CognitiveServices/accounts/bestdev-openai"
        "/deployments/bestdev-ft?api-version=2024-10-01"
    )
    body = {"sku": {"name": "Standard", "capacity": 1}, "properties": {"model": {"format": "OpenAI", "name": FIRST}}}
    headers = {"Authorization": "Bearer token"}
    assert httpx2.put(fine_tuning_url + path, json=body, headers=headers).status_code == 201
    body["properties"]["model"]["name"] = SECOND
    refused = httpx2.put(fine_tuning_url + path, json=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "CannotChangeDeploymentModel"


def test_the_app_keeps_its_deployment_when_the_new_one_does_not_answer(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    azure.chat_faults.add(deployment_name(SECOND))
    assert run("deploy", SECOND) == 1
    assert "did not answer" in capsys.readouterr().err
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(FIRST)


def test_rollback_switches_back_to_the_deployment_before(azure: FakeFineTuning) -> None:
    assert run("deploy", FIRST) == 0
    assert run("deploy", SECOND) == 0
    assert run("rollback") == 0
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(FIRST)
    assert azure.app_settings["BESTDEV_FINE_TUNED_MODEL"] == FIRST
    assert run("rollback", deployment_name(SECOND)) == 0
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(SECOND)


def test_rollback_without_an_earlier_deployment_changes_nothing(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    assert run("rollback") == 1
    assert "no earlier ready deployment" in capsys.readouterr().err
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(FIRST)


def test_undeploy_deletes_an_idle_deployment_never_the_serving_one(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    assert run("deploy", SECOND) == 0
    assert run("undeploy", deployment_name(SECOND)) == 1
    assert "the deployment the app calls" in capsys.readouterr().err
    assert run("undeploy", deployment_name(FIRST)) == 0
    assert set(azure.deployments) == {deployment_name(SECOND)}
    assert run("undeploy", "gone") == 1


def test_deployments_lists_model_created_last_call_and_cost(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    assert run("deploy", SECOND, "--no-switch", "--sku", "DeveloperTier") == 0
    azure.requests_metric[deployment_name(FIRST)] = 12
    capsys.readouterr()
    assert run("deployments") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    first, second = lines[deployment_name(FIRST)], lines[deployment_name(SECOND)]
    assert FIRST in first
    assert "$1.70/h" in first
    assert "<- serving" in first
    assert "2026-12-01" in first  # the last day with calls
    assert "$0.00/h" in second  # DeveloperTier: no hosting fee
    assert "none in 30d" in second
    assert "all deployments: $1.70/h, about $1,241 a month" in "\n".join(lines.values())


def test_a_placement_the_deployment_table_rules_out_is_refused_before_any_call(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", "gpt-4o-mini-2024-07-18.ft-x", "--sku", "DeveloperTier") == 1
    assert "gpt-4.1 family" in capsys.readouterr().err
    azure.account_location = "westus"
    assert run("deploy", FIRST) == 1
    assert "Standard deployment of gpt-4.1-mini-2025-04-14 exists only in" in capsys.readouterr().err
    assert azure.deployments == {}


def test_promote_switches_a_candidate_not_worse_than_the_serving_one(
    azure: FakeFineTuning, local_answers: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    azure.answers[FIRST] = lambda prompt: template.completion(None, template.no_match_reason())  # answers nobody
    azure.answers[SECOND] = answering_like(local_answers)
    assert run("deploy", FIRST) == 0
    report = tmp_path / "promote.md"
    assert run("promote", SECOND, "--report", str(report)) == 0
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(SECOND)
    text = report.read_text(encoding="utf-8")
    assert "## public benchmark" in text
    assert "verdict against serving: candidate" in text
    assert "decision: the candidate is not worse" in text
    assert json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))["not_worse"] is True
    assert never_changed_a_model(azure)


def test_promote_refuses_a_worse_candidate_and_deletes_its_deployment(
    azure: FakeFineTuning, local_answers: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    azure.answers[FIRST] = answering_like(local_answers)
    azure.answers[SECOND] = lambda prompt: template.completion(None, template.no_match_reason())
    assert run("deploy", FIRST) == 0
    report = tmp_path / "promote.md"
    assert run("promote", SECOND, "--report", str(report)) == 1
    assert "worse than the serving one on public benchmark" in capsys.readouterr().err
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(FIRST)
    assert deployment_name(SECOND) not in azure.deployments  # its hourly fee stops
    assert "decision: the candidate is worse on public benchmark" in report.read_text(encoding="utf-8")


def test_promote_with_force_switches_even_a_worse_candidate(
    azure: FakeFineTuning, local_answers: dict[str, str], tmp_path: Path
) -> None:
    azure.answers[FIRST] = answering_like(local_answers)
    assert run("deploy", FIRST) == 0
    assert run("promote", SECOND, "--force", "--report", str(tmp_path / "r.md")) == 0
    assert azure.app_settings["AZURE_OPENAI_DEPLOYMENT"] == deployment_name(SECOND)


def test_with_no_model_serving_the_local_recommender_is_the_baseline(
    azure: FakeFineTuning, local_answers: dict[str, str], tmp_path: Path
) -> None:
    azure.answers[SECOND] = lambda prompt: template.completion(None, template.no_match_reason())
    report = tmp_path / "r.md"
    assert run("promote", SECOND, "--report", str(report)) == 1
    assert "verdict against local: local" in report.read_text(encoding="utf-8")
    assert "AZURE_OPENAI_DEPLOYMENT" not in azure.app_settings


def test_promote_runs_the_validation_split_too(
    azure: FakeFineTuning, local_answers: dict[str, str], tmp_path: Path
) -> None:
    azure.answers[FIRST] = lambda prompt: template.completion(None, template.no_match_reason())
    azure.answers[SECOND] = answering_like(local_answers)
    assert run("deploy", FIRST) == 0
    case = load_benchmark().cases[0]
    answer = local_answers[template.sanitize(case.description)]
    example = {
        "messages": [
            {"role": "system", "content": "You recommend developers."},
            {"role": "user", "content": template.prompt("Acme", case.description)},
            {"role": "assistant", "content": answer},
        ]
    }
    valid = tmp_path / "valid.jsonl"
    valid.write_text(json.dumps(example) + "\n", encoding="utf-8")
    report = tmp_path / "r.md"
    assert run("promote", SECOND, "--valid", str(valid), "--report", str(report)) == 0
    assert "## validation split" in report.read_text(encoding="utf-8")


def test_the_switch_is_recorded_in_the_azd_environment_for_the_next_provision(
    azure: FakeFineTuning, fine_tuning_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = fine_tuning_environment / "bin"
    bin_dir.mkdir()
    log = fine_tuning_environment / "azd.log"
    azd = bin_dir / "azd"
    azd.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    azd.chmod(0o755)
    (fine_tuning_environment / ".azure").mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    assert run("deploy", FIRST) == 0
    assert log.read_text(encoding="utf-8").splitlines() == [
        f"env set BESTDEV_SERVING_DEPLOYMENT {deployment_name(FIRST)}",
        f"env set BESTDEV_SERVING_MODEL {FIRST}",
    ]


def test_deployments_still_lists_when_the_metrics_cannot_be_read(
    azure: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("deploy", FIRST) == 0
    azure.metrics_fault = 403
    capsys.readouterr()
    assert run("deployments") == 0
    assert "unknown" in capsys.readouterr().out
