"""`python -m bestdev finetune ...` end to end: the real CLI, the real SDK, the fakes on 127.0.0.1."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest

from bestdev.cli import main
from bestdev.model.client import CredentialError
from bestdev.settings import SettingsError, load_settings, load_training_settings
from tests.fakes.credential import FakeCredential
from tests.fakes.fine_tuning import RESULTS_CSV, FakeFineTuning, JobStep

FAST = ["--interval", "0.01", "--timeout", "5", "--patience", "3"]
BASE = "gpt-4o-mini-2024-07-18"


@pytest.fixture
def environment(fine_tuning_environment: Path) -> Path:
    return fine_tuning_environment


def start(capsys: pytest.CaptureFixture[str]) -> str:
    code = main(
        [
            "finetune",
            "start",
            "--train",
            "train.jsonl",
            "--valid",
            "valid.jsonl",
            "--model",
            "gpt-4o-mini-2024-07-18",
            *FAST,
        ]
    )
    assert code == 0
    return capsys.readouterr().out.strip()


def test_the_training_settings_need_no_deployment_but_the_api_still_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com")
    assert load_training_settings().azure_openai_endpoint == "https://example.openai.azure.com"
    with pytest.raises(SettingsError, match="AZURE_OPENAI_DEPLOYMENT"):
        load_settings()


def test_start_prints_only_the_job_id_on_stdout(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            *[
                "finetune",
                "start",
                "--train",
                "train.jsonl",
                "--valid",
                "valid.jsonl",
                "--model",
                "gpt-4o-mini-2024-07-18",
            ],
            *["--suffix", "bestdev", "--epochs", "2", "--seed", "3", "--api-version", "2025-04-01-preview", *FAST],
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == "ftjob-1\n"
    assert "created ftjob-1" in captured.err
    [create] = fake_fine_tuning.calls_to("/openai/fine_tuning/jobs", "POST")
    assert create.query["api-version"] == "2025-04-01-preview"
    assert create.body["method"]["supervised"]["hyperparameters"] == {"n_epochs": 2}


def test_watch_success_saves_results_and_prints_the_model_and_checkpoints(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    job = start(capsys)
    fake_fine_tuning.script(JobStep.metrics(1, 2, 1.0, 1.1), JobStep.transient(503), JobStep("succeeded"))
    code = main(["finetune", "watch", job, "--out", "run", *FAST])
    out = capsys.readouterr().out
    assert code == 0
    assert (environment / "run" / "results.csv").read_text() == RESULTS_CSV
    assert "fine-tuned model: gpt-4o-mini-2024-07-18.ft-1" in out
    assert "step 1/2 | train loss 1.0000 | valid loss 1.1000" in out
    assert "  step 3: gpt-4o-mini-2024-07-18.ft-1:ckpt-step-3 (train loss 0.3333, valid loss 0.3667)" in out


def test_watch_defaults_to_a_folder_per_job(
    environment: Path, fake_fine_tuning: FakeFineTuning, capsys: pytest.CaptureFixture[str]
) -> None:
    job = start(capsys)
    fake_fine_tuning.script(JobStep("succeeded"))
    assert main(["finetune", "watch", job, *FAST]) == 0
    assert (environment / "finetune-runs" / job / "results.csv").is_file()


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (JobStep("failed", error=("quota", "Training quota exceeded for this region.")), "Training quota exceeded"),
        (JobStep("cancelled"), "was cancelled"),
    ],
    ids=["failed", "cancelled"],
)
def test_watch_exits_non_zero_with_the_service_message(
    environment: Path,
    fake_fine_tuning: FakeFineTuning,
    capsys: pytest.CaptureFixture[str],
    step: JobStep,
    message: str,
) -> None:
    job = start(capsys)
    fake_fine_tuning.script(JobStep("running"), step)
    code = main(["finetune", "watch", job, *FAST])
    captured = capsys.readouterr()
    assert code == 1
    assert message in captured.err
    assert "fine-tuned model" not in captured.out


def test_results_prints_the_summary_and_draws_the_plot(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (environment / "results.csv").write_text("step,train_loss,valid_loss\n1,2.0,1.0\n2,1.0,1.2\n3,0.5,1.5\n")
    code = main(["finetune", "results", "results.csv", "--plot", "loss.png"])
    out = capsys.readouterr().out
    assert code == 0
    assert "validation loss: final 1.5000, best 1.0000 at step 1" in out
    assert "WARNING: overfitting" in out
    assert (environment / "loss.png").read_bytes().startswith(b"\x89PNG")


def test_results_of_a_broken_file_exit_1(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (environment / "results.csv").write_text("step,train_loss\n1,oops\n")
    assert main(["finetune", "results", "results.csv"]) == 1
    assert "train_loss is not a number" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fault", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "bestdev: interrupted; a job or deployment already started goes on in the service"),
        (CredentialError("no token for the model"), 1, "bestdev: no token for the model"),
    ],
)
def test_an_interrupt_or_a_failed_login_mid_step_is_one_line_and_its_exit_code(
    environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fault: BaseException,
    code: int,
    message: str,
) -> None:
    def read_results(_: Path) -> None:
        raise fault

    monkeypatch.setattr("bestdev.finetune.results.read_results", read_results)
    assert main(["finetune", "results", "results.csv"]) == code
    assert capsys.readouterr().err == f"{message}\n"


@pytest.fixture
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Azure login the CLI would take from DefaultAzureCredential."""
    monkeypatch.setattr("bestdev.model.client.default_credential", lambda settings: FakeCredential())


def test_deploy_without_a_function_app_names_the_setting_before_it_deploys(
    environment: Path, fake_fine_tuning: FakeFineTuning, logged_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["finetune", "deploy", "gpt-4o-mini-2024-07-18.ft-1", "--account", "bestdev-openai", *FAST])
    assert code == 2
    assert "AZURE_FUNCTION_APP_NAME" in capsys.readouterr().err
    assert fake_fine_tuning.deployments == {}


def test_deploy_with_no_switch_deploys_with_the_default_type_and_capacity(
    environment: Path, fake_fine_tuning: FakeFineTuning, logged_in: None
) -> None:
    code = main(
        ["finetune", "deploy", "gpt-4o-mini-2024-07-18.ft-1", "--no-switch", "--account", "bestdev-openai", *FAST]
    )
    assert code == 0
    deployment = fake_fine_tuning.deployments["gpt-4o-mini-2024-07-18.ft-1"]
    assert deployment["properties"]["model"]["name"] == "gpt-4o-mini-2024-07-18.ft-1"
    assert deployment["sku"] == {"name": "Standard", "capacity": 50}


def test_deploy_of_a_failed_provisioning_exits_1(
    environment: Path, fake_fine_tuning: FakeFineTuning, logged_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_fine_tuning.provisioning = deque(["Failed"])
    code = main(["finetune", "deploy", "m", "--no-switch", "--account", "bestdev-openai", *FAST])
    assert code == 1
    assert "quota exceeded" in capsys.readouterr().err


def test_deploy_without_an_account_names_the_setting(
    environment: Path, logged_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["finetune", "deploy", "m", *FAST]) == 1
    assert "AZURE_OPENAI_ACCOUNT (--account)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["start", "--train", "t", "--valid", "v", "--model", "m", "--epochs", "0"], "invalid --epochs"),
        (["deploy", "m", "--capacity", "0", "--account", "a"], "invalid --capacity"),
    ],
)
def test_invalid_options_are_named(
    environment: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["finetune", *argv]) == 2
    assert message in capsys.readouterr().err


def test_finetune_without_an_endpoint_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["finetune", "watch", "ftjob-1", *FAST]) == 2
    assert "AZURE_OPENAI_ENDPOINT" in capsys.readouterr().err
