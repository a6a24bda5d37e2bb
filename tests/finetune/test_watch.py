"""`finetune watch` in the domain: a job followed to success, failure or cancellation, through transient faults."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from openai import AsyncOpenAI

from bestdev.finetune.jobs import FineTuneError, JobRequest, start_job
from bestdev.finetune.polling import Polling, PollingTimeout, TooManyFaults
from bestdev.finetune.progress import Progress
from bestdev.finetune.watch import WatchResult, watch
from tests.fakes.fine_tuning import RESULTS_CSV, FakeFineTuning, JobStep

FAST = Polling(interval=0.01, timeout=5, patience=3)


class RecordingDisplay:
    def __init__(self) -> None:
        self.shown: list[Progress] = []
        self.snapshots: list[dict[str, object]] = []
        self.notes: list[str] = []

    def show(self, progress: Progress) -> None:
        self.shown.append(progress)
        self.snapshots.append(dict(vars(progress)))

    def note(self, message: str) -> None:
        self.notes.append(message)


@pytest.fixture
async def job_id(fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, tmp_path: Path) -> str:
    (tmp_path / "t.jsonl").write_text("{}\n")
    request = JobRequest(
        train=tmp_path / "t.jsonl", valid=tmp_path / "t.jsonl", model="gpt-4o-mini-2024-07-18", epochs=2
    )
    return (await start_job(fine_tuning_client, request, FAST)).id


async def follow(
    client: AsyncOpenAI, job_id: str, out: Path, polling: Polling = FAST
) -> tuple[WatchResult, RecordingDisplay]:
    display = RecordingDisplay()
    return await watch(client, job_id, out, polling, display), display


async def test_a_successful_job_downloads_results_and_lists_checkpoints(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(
        JobStep("queued", [("Job enqueued. Queue position: 3", None)]),
        JobStep("queued", [("Job enqueued. Queue position: 1", None)]),
        JobStep.metrics(1, 3, 2.0, 2.1),
        JobStep.metrics(2, 3, 1.2, 1.3),
        JobStep("succeeded", [("The job has successfully completed", None)]),
    )
    result, display = await follow(fine_tuning_client, job_id, tmp_path / "run")

    assert result.succeeded
    assert result.job.fine_tuned_model == "gpt-4o-mini-2024-07-18.ft-1"
    assert result.results_path == tmp_path / "run" / "results.csv"
    assert result.results_path.read_text() == RESULTS_CSV
    assert [checkpoint.step_number for checkpoint in result.checkpoints] == [1, 2, 3]

    assert [snapshot["queue_position"] for snapshot in display.snapshots[:2]] == [3, 1]
    running = display.snapshots[3]
    assert (running["status"], running["step"], running["total_steps"]) == ("running", 2, 3)
    assert (running["train_loss"], running["valid_loss"]) == (1.2, 1.3)
    assert running["queue_position"] is None
    assert display.snapshots[-1]["status"] == "succeeded"
    assert display.notes == [
        "Job created.",
        "Job enqueued. Queue position: 3",
        "Job enqueued. Queue position: 1",
        "Step 1/3: training loss=2.0, validation loss=2.1",
        "Step 2/3: training loss=1.2, validation loss=1.3",
        "The job has successfully completed",
    ]


async def test_a_failed_job_returns_the_service_message_and_downloads_nothing(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(
        JobStep.metrics(1, 3, 2.0, 2.1),
        JobStep("failed", error=("invalid_training_file", "The training file has 3 examples; at least 10 are needed.")),
    )
    result, _ = await follow(fine_tuning_client, job_id, tmp_path / "run")
    assert not result.succeeded
    assert result.failure() == (
        f"job {job_id} failed: The training file has 3 examples; at least 10 are needed. (invalid_training_file)"
    )
    assert result.results_path is None
    assert not (tmp_path / "run").exists()
    assert fake_fine_tuning.calls_to("/checkpoints") == []


async def test_a_cancelled_job_says_so(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(JobStep("running"), JobStep("cancelled", [("Job cancelled by the user.", None)]))
    result, display = await follow(fine_tuning_client, job_id, tmp_path / "run")
    assert not result.succeeded
    assert result.failure() == f"job {job_id} was cancelled"
    assert display.notes[-1] == "Job cancelled by the user."


async def test_transient_5xx_while_polling_are_ridden_out(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(
        JobStep.metrics(1, 2, 1.5, 1.6),
        JobStep.transient(503),
        JobStep.transient(502),
        JobStep("succeeded"),
    )
    result, display = await follow(fine_tuning_client, job_id, tmp_path / "run")
    assert result.succeeded
    faults = [note for note in display.notes if note.startswith("transient fault")]
    assert len(faults) == 2
    assert "The service is temporarily unavailable. (HTTP 503)" in faults[0]


async def test_faults_that_go_on_are_not_ridden_out_forever(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(*[JobStep.transient(500)] * 10)
    with pytest.raises(TooManyFaults, match="4 faults in a row"):
        await follow(fine_tuning_client, job_id, tmp_path / "run")


async def test_watching_is_bounded_by_the_timeout(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.script(JobStep("running"))
    with pytest.raises(PollingTimeout, match=f"job {job_id} to finish"):
        await follow(fine_tuning_client, job_id, tmp_path / "run", Polling(interval=0.01, timeout=0.2))


async def test_a_base64_encoded_result_file_is_saved_as_csv(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, job_id: str, tmp_path: Path
) -> None:
    fake_fine_tuning.results_csv = base64.b64encode(RESULTS_CSV.encode())
    fake_fine_tuning.script(JobStep("succeeded"))
    result, _ = await follow(fine_tuning_client, job_id, tmp_path)
    assert result.results_path is not None
    assert result.results_path.read_text() == RESULTS_CSV


def test_progress_reads_numbers_from_messages_when_events_carry_no_data() -> None:
    from openai.types.fine_tuning import FineTuningJobEvent

    progress = Progress("ftjob-1")
    event = FineTuningJobEvent(
        id="e1",
        created_at=1,
        level="info",
        message="Epoch 2/3, step 40/60: training loss=0.52, validation loss=0.61",
        object="fine_tuning.job.event",
    )
    progress.read_event(event)
    assert (progress.epoch, progress.total_epochs, progress.step, progress.total_steps) == (2, 3, 40, 60)
    assert (progress.train_loss, progress.valid_loss) == (0.52, 0.61)


async def test_an_unknown_job_is_a_clear_error_not_a_retry(
    fine_tuning_client: AsyncOpenAI, fake_fine_tuning: FakeFineTuning, tmp_path: Path
) -> None:
    with pytest.raises(FineTuneError, match=r"could not follow job ftjob-404: Job ftjob-404 not found\. \(HTTP 404\)"):
        await follow(fine_tuning_client, "ftjob-404", tmp_path)
    assert len(fake_fine_tuning.calls_to("/fine_tuning/jobs/ftjob-404")) == 1
