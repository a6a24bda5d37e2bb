"""`finetune start` in the domain: uploads, processing, job creation, against the fake over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from openai import AsyncOpenAI

from bestdev.finetune.jobs import FineTuneError, JobRequest, start_job
from bestdev.finetune.polling import Polling, PollingTimeout
from bestdev.model.client import build_client
from bestdev.settings import load_training_settings
from tests.fakes.fine_tuning import FakeFineTuning

FAST = Polling(interval=0.01, timeout=5, patience=3)
LINE = '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}\n'


@pytest.fixture
def request_files(tmp_path: Path) -> JobRequest:
    (tmp_path / "train.jsonl").write_text(LINE * 3)
    (tmp_path / "valid.jsonl").write_text(LINE)
    return JobRequest(
        train=tmp_path / "train.jsonl",
        valid=tmp_path / "valid.jsonl",
        model="gpt-4o-mini-2024-07-18",
        suffix="bestdev",
        epochs=3,
        seed=7,
    )


async def test_start_uploads_both_files_waits_for_processing_and_creates_a_supervised_job(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, request_files: JobRequest
) -> None:
    fake_fine_tuning.processing_polls = 3
    job = await start_job(fine_tuning_client, request_files, FAST)

    uploads = fake_fine_tuning.calls_to("/openai/files", "POST")
    assert [call.body["purpose"] for call in uploads] == ["fine-tune", "fine-tune"]
    assert all(call.query["api-version"] for call in uploads)
    assert len(fake_fine_tuning.calls_to("/openai/files/file-1")) == 3
    assert len(fake_fine_tuning.calls_to("/openai/files/file-2")) == 3
    assert fake_fine_tuning.contents["file-1"] == (LINE * 3).encode()

    [create] = fake_fine_tuning.calls_to("/openai/fine_tuning/jobs", "POST")
    assert create.headers["api-key"] == "test-key"
    assert create.body == {
        "model": "gpt-4o-mini-2024-07-18",
        "training_file": "file-1",
        "validation_file": "file-2",
        "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 3}}},
        "suffix": "bestdev",
        "seed": 7,
    }
    assert job.id == "ftjob-1"
    assert job.hyperparameters.n_epochs == 3


async def test_an_openai_compatible_server_is_reached_at_its_v1_paths(
    fine_tuning_url: str, fake_fine_tuning: FakeFineTuning, request_files: JobRequest
) -> None:
    settings = load_training_settings(
        AZURE_OPENAI_ENDPOINT=f"{fine_tuning_url}/v1", BESTDEV_MODEL_PROVIDER="openai-compatible"
    )
    async with build_client(settings) as client:
        job = await start_job(client, request_files.model_copy(update={"epochs": None}), FAST)
    [create] = fake_fine_tuning.calls_to("/v1/fine_tuning/jobs", "POST")
    assert create.body["method"] == {"type": "supervised", "supervised": {"hyperparameters": {}}}
    assert job.status == "validating_files"


async def test_a_file_the_service_cannot_process_stops_with_its_reason(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, request_files: JobRequest
) -> None:
    fake_fine_tuning.file_error = "Line 2: missing 'messages'."
    with pytest.raises(FineTuneError, match=r"train\.jsonl: the service could not process the file: Line 2"):
        await start_job(fine_tuning_client, request_files, FAST)
    assert fake_fine_tuning.calls_to("/openai/fine_tuning/jobs", "POST") == []


async def test_a_refused_job_carries_the_service_message(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, request_files: JobRequest
) -> None:
    fake_fine_tuning.create_fault = (400, "The base model gpt-4o-mini-2024-07-18 cannot be fine-tuned here.")
    with pytest.raises(
        FineTuneError, match=r"refused the job: The base model .* cannot be fine-tuned here\. \(HTTP 400"
    ):
        await start_job(fine_tuning_client, request_files, FAST)


async def test_a_missing_file_is_named_before_anything_is_uploaded(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, request_files: JobRequest, tmp_path: Path
) -> None:
    missing = request_files.model_copy(update={"train": tmp_path / "nope.jsonl"})
    with pytest.raises(FineTuneError, match=r"nope\.jsonl: cannot read it"):
        await start_job(fine_tuning_client, missing, FAST)
    assert fake_fine_tuning.calls == []


async def test_waiting_for_processing_is_bounded(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, request_files: JobRequest
) -> None:
    fake_fine_tuning.processing_polls = 10_000
    with pytest.raises(PollingTimeout, match="file-1"):
        await start_job(fine_tuning_client, request_files, Polling(interval=0.01, timeout=0.2))


def test_hyperparameters_hold_only_what_was_asked() -> None:
    request = JobRequest(train=Path("t"), valid=Path("v"), model="m", batch_size=8, learning_rate_multiplier=0.5)
    assert request.hyperparameters() == {"batch_size": 8, "learning_rate_multiplier": 0.5}
