"""Watching a fine-tuning job to its end: status and events, the result file and the checkpoints."""

from __future__ import annotations

import asyncio
import base64
import binascii
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import openai
from openai import AsyncOpenAI
from openai.types.fine_tuning import FineTuningJob
from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint

from bestdev.finetune.jobs import FineTuneError, is_transient
from bestdev.finetune.polling import Polling, patiently, ticks
from bestdev.finetune.progress import Progress
from bestdev.lifecycle.catalog import service_message

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
RESULTS_NAME = "results.csv"
EVENTS_PER_POLL = 100


class Display(Protocol):
    """Where the watch reports: a progress display in the terminal, a recorder in tests."""

    def show(self, progress: Progress) -> None: ...

    def note(self, message: str) -> None: ...


@dataclass
class WatchResult:
    job: FineTuningJob
    results_path: Path | None = None
    checkpoints: list[FineTuningJobCheckpoint] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.job.status == "succeeded"

    def failure(self) -> str:
        """The service's reason for a failed or cancelled job."""
        if self.job.status == "cancelled":
            return f"job {self.job.id} was cancelled"
        if self.job.error is not None and self.job.error.message:
            return f"job {self.job.id} failed: {self.job.error.message} ({self.job.error.code})"
        return f"job {self.job.id} ended {self.job.status} without a reason from the service"


async def watch(client: AsyncOpenAI, job_id: str, out: Path, polling: Polling, display: Display) -> WatchResult:
    """Polls the job until it ends; on success saves results.csv into `out` and lists the checkpoints."""
    progress = Progress(job_id)
    seen: set[str] = set()

    def fault(error: BaseException) -> None:
        display.note(f"transient fault, asking again: {service_message(error)}")

    try:
        async with aclosing(ticks(polling, f"job {job_id} to finish")) as polls:
            async for _ in polls:
                job = await patiently(lambda: client.fine_tuning.jobs.retrieve(job_id), polling, is_transient, fault)
                progress.read_job(job)
                page = await patiently(
                    lambda: client.fine_tuning.jobs.list_events(job_id, limit=EVENTS_PER_POLL),
                    polling,
                    is_transient,
                    fault,
                )
                for event in sorted(page.data, key=lambda event: event.created_at):
                    if event.id not in seen:
                        seen.add(event.id)
                        progress.read_event(event)
                        display.note(event.message)
                display.show(progress)
                if job.status in TERMINAL:
                    break
        if job.status != "succeeded":
            return WatchResult(job)
        return WatchResult(
            job,
            results_path=await _download_results(client, job, out, polling),
            checkpoints=await _checkpoints(client, job_id, polling),
        )
    except openai.OpenAIError as error:
        raise FineTuneError(f"could not follow job {job_id}: {service_message(error)}") from error


async def _download_results(client: AsyncOpenAI, job: FineTuningJob, out: Path, polling: Polling) -> Path | None:
    if not job.result_files:
        return None
    content = await patiently(lambda: client.files.content(job.result_files[0]), polling, is_transient)
    return await asyncio.to_thread(_save, out / RESULTS_NAME, _as_csv(content.content))


def _save(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


async def _checkpoints(client: AsyncOpenAI, job_id: str, polling: Polling) -> list[FineTuningJobCheckpoint]:
    from bestdev.finetune.checkpoints import list_checkpoints

    return await list_checkpoints(client, job_id, polling)


def _as_csv(content: bytes) -> bytes:
    """Some services send the results file base64-encoded; a CSV header line holds a comma, base64 never does."""
    first_line = content.split(b"\n", 1)[0]
    if b"," in first_line:
        return content
    try:
        decoded = base64.b64decode(content, validate=False)
    except (binascii.Error, ValueError):
        return content
    return decoded if b"," in decoded.split(b"\n", 1)[0] else content
