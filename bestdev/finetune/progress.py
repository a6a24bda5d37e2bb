"""What a running fine-tuning job has told us so far, read from its status and its events."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent

STEP = re.compile(r"\bstep\s+(\d+)(?:\s*/\s*(\d+))?", re.IGNORECASE)
EPOCH = re.compile(r"\bepoch\s+(\d+)(?:\s*/\s*(\d+))?", re.IGNORECASE)
TRAIN_LOSS = re.compile(r"training loss\s*[=:]\s*([0-9.eE+-]+)", re.IGNORECASE)
VALID_LOSS = re.compile(r"validation loss\s*[=:]\s*([0-9.eE+-]+)", re.IGNORECASE)
QUEUE = re.compile(r"queue (?:position|number)\D{0,20}(\d+)", re.IGNORECASE)


@dataclass
class Progress:
    """The latest step, losses and queue position of one job, and how long since it was created."""

    job_id: str
    status: str = "unknown"
    step: int | None = None
    total_steps: int | None = None
    epoch: int | None = None
    total_epochs: int | None = None
    train_loss: float | None = None
    valid_loss: float | None = None
    queue_position: int | None = None
    last_message: str | None = None
    started: float = field(default_factory=time.time)

    @property
    def elapsed_seconds(self) -> float:
        return max(0.0, time.time() - self.started)

    def read_job(self, job: FineTuningJob) -> None:
        self.status = job.status
        self.started = float(job.created_at) if job.created_at else self.started
        epochs = job.hyperparameters.n_epochs if job.hyperparameters else None
        if isinstance(epochs, int):
            self.total_epochs = epochs
        if job.status != "queued":
            self.queue_position = None

    def read_event(self, event: FineTuningJobEvent) -> None:
        """Metrics events carry numbers in `data`; other services only write them into the message."""
        self.last_message = event.message
        data = event.data if isinstance(event.data, dict) else {}
        self.step = _int(data.get("step")) or self.step
        self.total_steps = _int(data.get("total_steps")) or self.total_steps
        self.epoch = _int(data.get("epoch")) or self.epoch
        self.train_loss = _float(data.get("train_loss"), self.train_loss)
        self.valid_loss = _float(data.get("full_valid_loss") or data.get("valid_loss"), self.valid_loss)
        self.queue_position = _int(data.get("queue_position")) or self.queue_position
        self._read_message(event.message)

    def _read_message(self, message: str) -> None:
        if step := STEP.search(message):
            self.step = int(step[1])
            self.total_steps = int(step[2]) if step[2] else self.total_steps
        if epoch := EPOCH.search(message):
            self.epoch = int(epoch[1])
            self.total_epochs = int(epoch[2]) if epoch[2] else self.total_epochs
        if loss := TRAIN_LOSS.search(message):
            self.train_loss = _float(loss[1], self.train_loss)
        if loss := VALID_LOSS.search(message):
            self.valid_loss = _float(loss[1], self.valid_loss)
        if queue := QUEUE.search(message):
            self.queue_position = int(queue[1])


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    return None


def _float(value: object, default: float | None) -> float | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.rstrip("."))
        except ValueError:
            return default
    return default
