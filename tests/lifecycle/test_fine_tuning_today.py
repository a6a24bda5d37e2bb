"""The fine-tuning loop asks the service what it offers today: the models list, checkpoints, retirement dates, and
the keep-alive of the deployment. The real CLI and SDK over real HTTP against the fakes on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.cli import main
from bestdev.finetune.serving import deployment_name
from bestdev.lifecycle.keep_alive import keep_alive
from bestdev.lifecycle.retirement import Retirement, RetirementWatch
from bestdev.model.client import build_client
from bestdev.settings import load_settings
from tests.fakes.credential import FakeCredential
from tests.fakes.fine_tuning import FakeFineTuning, JobStep, base_model
from tests.fakes.openai_model import FakeModel, Reply

FAST = ["--interval", "0.01", "--timeout", "5", "--patience", "3"]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, fine_tuning_environment: Path) -> Path:
    """The fine-tuning environment, with the account the metrics are read from and a credential for them."""
    monkeypatch.setenv("AZURE_OPENAI_ACCOUNT", "bestdev-openai")
    monkeypatch.setattr("bestdev.model.client.default_credential", lambda settings: FakeCredential())
    return fine_tuning_environment


def start(model: str) -> int:
    return main(["finetune", "start", "--train", "train.jsonl", "--valid", "valid.jsonl", "--model", model, *FAST])


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("davinci-002", "fine-tuning davinci-002 retired on 2025-01-27"),
        ("gpt-4o-2024-11-20", "cannot fine-tune gpt-4o-2024-11-20"),
        ("gpt-5-nano", "lists no model 'gpt-5-nano'"),
    ],
)
def test_start_refuses_a_model_the_service_cannot_fine_tune_before_any_upload(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str], model: str, reason: str
) -> None:
    assert start(model) == 1
    err = capsys.readouterr().err
    assert reason in err
    assert "fine-tunable here today: gpt-4.1-mini-2025-04-14, gpt-4o-mini-2024-07-18" in err
    assert fake_fine_tuning.calls_to("/openai/files", "POST") == [], "nothing uploaded"
    assert fake_fine_tuning.calls_to("/openai/fine_tuning/jobs", "POST") == []


def test_models_lists_what_can_be_fine_tuned_with_retirement_dates(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_fine_tuning.models.append(base_model("gpt-4.1-nano-2025-04-14", fine_tune_until=1_893_456_000))
    assert main(["finetune", "models"]) == 0
    out = capsys.readouterr().out
    assert "gpt-4.1-nano-2025-04-14" in out
    assert "2030-01-01" in out
    assert "davinci-002" not in out
    assert "gpt-4o-2024-11-20" not in out
    assert main(["finetune", "models", "--all"]) == 0
    assert "davinci-002" in capsys.readouterr().out


def finished_job(fake: FakeFineTuning, capsys: pytest.CaptureFixture[str]) -> str:
    assert start("gpt-4.1-mini-2025-04-14") == 0
    job = capsys.readouterr().out.strip()
    fake.script(JobStep("succeeded"))
    assert main(["finetune", "watch", job, *FAST]) == 0
    capsys.readouterr()
    return job


@pytest.mark.parametrize(
    ("losses", "best"),
    [
        ({1: (0.9, None), 2: (0.5, None), 3: (0.7, None)}, 2),  # validation loss
        ({1: (0.4, 0.9), 2: (0.5, 0.6), 3: (0.3, 0.8)}, 2),  # full validation loss wins where every one has it
    ],
    ids=["valid", "full-valid"],
)
def test_deploy_checkpoint_best_deploys_the_lowest_validation_loss(
    environment: Path,
    fake_fine_tuning: FakeFineTuning,
    capsys: pytest.CaptureFixture[str],
    losses: dict[int, tuple[float, float | None]],
    best: int,
) -> None:
    fake_fine_tuning.checkpoint_losses = losses
    job = finished_job(fake_fine_tuning, capsys)
    assert main(["finetune", "results", "--job", job]) == 0
    listing = capsys.readouterr().out
    assert f"step {best}: gpt-4.1-mini-2025-04-14.ft-1:ckpt-step-{best}" in listing
    assert listing.count("<- best") == 1
    assert f"ckpt-step-{best} (" in listing.split("<- best")[0].splitlines()[-1]

    code = main(["finetune", "deploy", "--job", job, "--checkpoint", "best", "--no-switch", *FAST])
    assert code == 0, capsys.readouterr().err
    model = f"gpt-4.1-mini-2025-04-14.ft-1:ckpt-step-{best}"
    deployed = fake_fine_tuning.deployments[deployment_name(model)]["properties"]["model"]["name"]
    assert deployed == model


def test_deploy_names_the_steps_when_the_checkpoint_is_unknown(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    job = finished_job(fake_fine_tuning, capsys)
    assert main(["finetune", "deploy", "--job", job, "--checkpoint", "9", "--no-switch", *FAST]) == 1
    assert "choose best or a step of ftjob-1: 1, 2, 3" in capsys.readouterr().err
    assert fake_fine_tuning.deployments == {}


def retiring_model(fake: FakeFineTuning, inference_until: int) -> str:
    fake.models.append(base_model("gpt-4o-mini-2024-07-18-old", inference_until=inference_until))
    model = "gpt-4o-mini-2024-07-18-old.ft-9"
    fake.models.append({**base_model(model, fine_tune=False), "model": "gpt-4o-mini-2024-07-18-old", "deprecation": {}})
    return model


def test_the_retirement_date_reaches_api_health_and_finetune_status(
    environment: Path, fake_fine_tuning: FakeFineTuning, fine_tuning_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    model = retiring_model(fake_fine_tuning, inference_until=1_798_761_600)  # 2027-01-01
    settings = load_settings(
        AZURE_OPENAI_ENDPOINT=fine_tuning_url,
        AZURE_OPENAI_DEPLOYMENT="bestdev-ft",
        AZURE_OPENAI_API_KEY="test-key",
        BESTDEV_FINE_TUNED_MODEL=model,
    )
    watch = RetirementWatch()
    with TestClient(create_app(settings, retirement=watch)) as client:
        for _ in range(200):  # the lookup runs in the background after startup
            if watch.retires is not None:
                break
            client.get("/api/health")
        assert client.get("/api/health").json()["model_retires"] == "2027-01-01"
    assert main(["finetune", "status"]) == 2, "status without BESTDEV_FINE_TUNED_MODEL is a settings error"
    assert "BESTDEV_FINE_TUNED_MODEL" in capsys.readouterr().err


def test_finetune_status_reports_the_date_and_warns_when_near(
    environment: Path,
    fake_fine_tuning: FakeFineTuning,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    model = retiring_model(fake_fine_tuning, inference_until=1_798_761_600)  # 2027-01-01
    monkeypatch.setenv("BESTDEV_FINE_TUNED_MODEL", model)
    monkeypatch.setattr("bestdev.lifecycle.catalog.today", lambda: date(2026, 12, 1))
    assert main(["finetune", "status"]) == 0
    captured = capsys.readouterr()
    assert (
        f"{model} stops answering on 2027-01-01, in 31 days (its base model gpt-4o-mini-2024-07-18-old" in captured.out
    )
    assert "WARNING: under 60 days left" in captured.err


def test_the_warning_is_logged_at_most_once_a_day(caplog: pytest.LogCaptureFixture) -> None:
    watch = RetirementWatch()
    watch.retirement = Retirement("m.ft-1", "m", date(2027, 1, 1))
    day = date(2026, 12, 1)
    with caplog.at_level(logging.WARNING, logger="bestdev.lifecycle.retirement"):
        assert watch.warn_if_due(now=0.0, day=day)
        assert not watch.warn_if_due(now=3600.0, day=day)
        assert watch.warn_if_due(now=25 * 3600.0, day=day)
    assert len(caplog.records) == 2
    assert "in 31 days" in caplog.records[0].getMessage()
    assert not RetirementWatch().warn_if_due(now=0.0, day=day), "no date, no warning"
    far = RetirementWatch()
    far.retirement = Retirement("m.ft-1", "m", date(2027, 6, 1))
    assert not far.warn_if_due(now=0.0, day=day), "more than 60 days away"


@pytest.fixture
def keep_alive_settings(fake_model_url: str, fine_tuning_url: str) -> Iterator[object]:
    return load_settings(
        AZURE_OPENAI_ENDPOINT=fake_model_url,
        AZURE_OPENAI_DEPLOYMENT="bestdev-ft",
        AZURE_OPENAI_API_KEY="test-key",
        AZURE_MANAGEMENT_ENDPOINT=fine_tuning_url,
        AZURE_SUBSCRIPTION_ID="sub-1",
        AZURE_RESOURCE_GROUP="rg-bestdev",
        AZURE_OPENAI_ACCOUNT="bestdev-openai",
        BESTDEV_KEEP_ALIVE_DAYS=7,
        BESTDEV_MODEL_MAX_RETRIES=0,
    )


@pytest.mark.parametrize(("requests", "calls"), [(0.0, 1), (3.0, 0)], ids=["idle", "in-use"])
async def test_keep_alive_sends_one_small_call_only_when_idle(
    keep_alive_settings, fake_model: FakeModel, fake_fine_tuning: FakeFineTuning, requests: float, calls: int
) -> None:
    fake_fine_tuning.requests_metric = {"bestdev-ft": requests}
    async with build_client(keep_alive_settings) as client:
        outcome = await keep_alive(keep_alive_settings, client, FakeCredential())
    assert outcome.called is bool(calls)
    assert len(fake_model.calls) == calls
    if calls:
        [call] = fake_model.calls
        assert call.body["max_tokens"] == 1
        assert call.body["messages"] == [{"role": "user", "content": "ping"}]
    [metrics] = fake_fine_tuning.calls_to("/providers/Microsoft.Insights/metrics")
    assert metrics.query["metricnames"] == "AzureOpenAIRequests"
    assert metrics.query["$filter"] == "ModelDeploymentName eq 'bestdev-ft'"
    assert metrics.headers["authorization"] == "Bearer fake-entra-token"


async def test_keep_alive_calls_when_the_metrics_cannot_be_read_and_is_off_at_zero_days(
    keep_alive_settings, fake_model: FakeModel, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.metrics_fault = 403
    async with build_client(keep_alive_settings) as client:
        outcome = await keep_alive(keep_alive_settings, client, FakeCredential())
        assert outcome.called
        assert "could not be read" in outcome.reason
        off = keep_alive_settings.model_copy(update={"keep_alive_days": 0})
        assert not (await keep_alive(off, client, FakeCredential())).called
    assert len(fake_model.calls) == 1


async def test_keep_alive_says_when_the_deployment_is_gone(
    keep_alive_settings, fake_model: FakeModel, fake_fine_tuning: FakeFineTuning, caplog: pytest.LogCaptureFixture
) -> None:
    fake_model.script(Reply.error(404, "DeploymentNotFound", "The API deployment for this resource does not exist."))
    async with build_client(keep_alive_settings) as client:
        outcome = await keep_alive(keep_alive_settings, client, FakeCredential())
    assert not outcome.called
    assert "HTTP 404" in outcome.reason
    assert "deploys the model again" in caplog.text


def test_keep_alive_is_off_by_default_and_enabling_it_names_the_monthly_cost() -> None:
    from bestdev.lifecycle.keep_alive import monthly_cost

    assert load_settings().keep_alive_days == 0
    on = load_settings(BESTDEV_KEEP_ALIVE_DAYS=7)
    assert "$1.70 an hour, about $1,241 a month" in monthly_cost(on)
    assert "$0.50 an hour, about $365 a month" in monthly_cost(
        load_settings(BESTDEV_KEEP_ALIVE_DAYS=7, BESTDEV_HOSTING_PRICE_PER_HOUR=0.5)
    )
