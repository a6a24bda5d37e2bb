"""Starting a fine-tuning job: upload both files (purpose fine-tune), wait until processed, create the job."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from pathlib import Path
from typing import Any

import openai
from openai import AsyncOpenAI
from openai.types import FileObject
from openai.types.fine_tuning import FineTuningJob
from pydantic import BaseModel, ConfigDict, Field

from bestdev.errors import ServiceError
from bestdev.finetune.polling import Polling, patiently, ticks
from bestdev.lifecycle.catalog import service_message

PROCESSED = "processed"
FILE_FAILED = frozenset({"error", "deleted", "deleting"})


class FineTuneError(ServiceError, RuntimeError):
    """The service refused or failed a fine-tuning step; the message carries the service's own words."""


class JobRequest(BaseModel):
    """What `finetune start` asks for: the files, the base model and the supervised hyperparameters."""

    model_config = ConfigDict(frozen=True)

    train: Path
    valid: Path
    model: str = Field(min_length=1)
    suffix: str | None = Field(None, max_length=40)
    epochs: int | None = Field(None, ge=1, le=50)
    seed: int | None = None
    batch_size: int | None = Field(None, ge=1)
    learning_rate_multiplier: float | None = Field(None, gt=0)

    def hyperparameters(self) -> dict[str, Any]:
        chosen = {
            "n_epochs": self.epochs,
            "batch_size": self.batch_size,
            "learning_rate_multiplier": self.learning_rate_multiplier,
        }
        return {name: value for name, value in chosen.items() if value is not None}


def is_transient(error: BaseException) -> bool:
    """Worth asking again: no connection, a timeout, throttling or a 5xx."""
    if isinstance(error, openai.APIConnectionError | openai.RateLimitError):
        return True
    return isinstance(error, openai.APIStatusError) and error.status_code >= 500


def _transient_listing(error: BaseException) -> bool:
    return is_transient(error.__cause__ or error)


async def start_job(client: AsyncOpenAI, request: JobRequest, polling: Polling) -> FineTuningJob:
    """Checks with the service that the base model can be fine-tuned today (before anything is uploaded), uploads
    the training and validation files, waits until both are processed and creates the job."""
    from bestdev.lifecycle.catalog import CatalogError, list_models, today

    for path in (request.train, request.valid):
        if not path.is_file():
            raise FineTuneError(f"{path}: cannot read it (no such file)")
    try:
        catalog = await patiently(lambda: list_models(client), polling, _transient_listing)
        catalog.check_base(request.model, today())
    except CatalogError as error:
        raise FineTuneError(str(error)) from error
    training = await upload(client, request.train, polling)
    validation = await upload(client, request.valid, polling)
    arguments: dict[str, Any] = {
        "model": request.model,
        "training_file": training.id,
        "validation_file": validation.id,
        "method": {"type": "supervised", "supervised": {"hyperparameters": request.hyperparameters()}},
    }
    if request.suffix:
        arguments["suffix"] = request.suffix
    if request.seed is not None:
        arguments["seed"] = request.seed
    try:
        return await client.fine_tuning.jobs.create(**arguments)
    except openai.OpenAIError as error:
        raise FineTuneError(f"the service refused the job: {service_message(error)}") from error


async def upload(client: AsyncOpenAI, path: Path, polling: Polling) -> FileObject:
    """Uploads one JSONL file for fine-tuning and returns it once the service has processed it."""
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise FineTuneError(f"{path}: cannot read it ({error.strerror or error})") from error
    try:
        uploaded = await client.files.create(file=(path.name, content), purpose="fine-tune")
        return await _processed(client, uploaded, polling)
    except openai.OpenAIError as error:
        raise FineTuneError(f"{path}: upload failed: {service_message(error)}") from error


async def _processed(client: AsyncOpenAI, file: FileObject, polling: Polling) -> FileObject:
    file_id = file.id
    async with aclosing(ticks(polling, f"file {file.id} ({file.filename}) to be processed")) as polls:
        async for _ in polls:
            if file.status == PROCESSED:
                return file
            if file.status in FILE_FAILED:
                details = file.status_details or "no details given"
                raise FineTuneError(f"{file.filename}: the service could not process the file: {details}")
            file = await patiently(lambda: client.files.retrieve(file_id), polling, is_transient)
    raise AssertionError("unreachable: ticks() ends by raising")
