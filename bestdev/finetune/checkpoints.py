"""A job's checkpoints: Azure keeps the last few of every job, each deployable on its own. The best is the one
with the lowest full validation loss where the service measured it, else the lowest validation loss."""

from __future__ import annotations

import openai
from openai import AsyncOpenAI
from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint

from bestdev.finetune.jobs import FineTuneError, is_transient
from bestdev.finetune.polling import Polling, patiently
from bestdev.lifecycle.catalog import service_message


async def list_checkpoints(client: AsyncOpenAI, job_id: str, polling: Polling) -> list[FineTuningJobCheckpoint]:
    """The job's checkpoints, by step."""
    try:
        page = await patiently(lambda: client.fine_tuning.jobs.checkpoints.list(job_id), polling, is_transient)
    except openai.OpenAIError as error:
        raise FineTuneError(f"could not list the checkpoints of {job_id}: {service_message(error)}") from error
    return sorted(page.data, key=lambda checkpoint: checkpoint.step_number)


def loss_measure(checkpoints: list[FineTuningJobCheckpoint]) -> str:
    """full_valid_loss when every checkpoint has it, else valid_loss."""
    full = checkpoints and all(checkpoint.metrics.full_valid_loss is not None for checkpoint in checkpoints)
    return "full_valid_loss" if full else "valid_loss"


def best(checkpoints: list[FineTuningJobCheckpoint]) -> FineTuningJobCheckpoint:
    """The checkpoint with the lowest validation loss (the earliest on a tie)."""
    measure = loss_measure(checkpoints)
    scored = [
        (loss, checkpoint) for checkpoint in checkpoints if (loss := getattr(checkpoint.metrics, measure)) is not None
    ]
    if not scored:
        raise FineTuneError("no checkpoint has a validation loss: pass --checkpoint STEP")
    return min(scored, key=lambda pair: (pair[0], pair[1].step_number))[1]


def choose(checkpoints: list[FineTuningJobCheckpoint], which: str, job_id: str) -> FineTuningJobCheckpoint:
    """`best`, or the checkpoint at step `which`."""
    if not checkpoints:
        raise FineTuneError(f"job {job_id} has no checkpoints (is it finished?)")
    if which == "best":
        return best(checkpoints)
    steps = {checkpoint.step_number: checkpoint for checkpoint in checkpoints}
    if not which.isdigit() or int(which) not in steps:
        raise FineTuneError(f"--checkpoint {which}: choose best or a step of {job_id}: {', '.join(map(str, steps))}")
    return steps[int(which)]


def describe(checkpoint: FineTuningJobCheckpoint) -> str:
    metrics = checkpoint.metrics
    parts = [f"train loss {_number(metrics.train_loss)}", f"valid loss {_number(metrics.valid_loss)}"]
    if metrics.full_valid_loss is not None:
        parts.append(f"full valid loss {_number(metrics.full_valid_loss)}")
    return f"step {checkpoint.step_number}: {checkpoint.fine_tuned_model_checkpoint} ({', '.join(parts)})"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
