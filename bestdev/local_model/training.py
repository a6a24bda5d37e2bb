"""Fine-tuning the local model on `dataset build`'s JSONL: LoRA (default) or all weights, with checkpoints at
each epoch's end and a results CSV in the columns Azure's fine-tuning writes, so `finetune results` reads it."""

from __future__ import annotations

import csv
import json
import math
import random
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bestdev import template
from bestdev.local_model.examples import IGNORED, Example, read_conversations, tokenize
from bestdev.local_model.weights import RUN_FILE, LocalModelError, load

if TYPE_CHECKING:
    import torch

RESULTS_FILE = "results.csv"
# Azure's result file columns (finetune/results.py reads them); a cell is empty where a step measured nothing.
COLUMNS = (
    "step",
    "train_loss",
    "train_mean_token_accuracy",
    "valid_loss",
    "valid_mean_token_accuracy",
    "full_valid_loss",
    "full_valid_mean_token_accuracy",
)
LEARNING_RATES = {"lora": 1e-3, "full": 5e-5}
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class TrainingRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    train: Path
    valid: Path | None = None
    out: Path
    base: Path | None = None  # a GGUF file; None: the packaged SmolLM2-135M-Instruct
    method: Literal["lora", "full"] = "lora"
    epochs: int = Field(2, ge=1, le=100)
    batch_size: int = Field(8, ge=1, le=256)
    learning_rate: float | None = Field(None, gt=0)
    lora_rank: int = Field(16, ge=1, le=256)
    max_tokens: int = Field(1024, ge=16, le=8192)  # longer examples are left out (the pool context: ~900)
    max_steps: int | None = Field(None, ge=1)  # stop early (a quick look, or a test)
    limit: int | None = Field(None, ge=1)  # train on the first N examples only
    eval_every: int = Field(5, ge=1)  # steps between validation-batch measurements
    seed: int = 0
    threads: int | None = Field(None, ge=1, le=256)


@dataclass(frozen=True)
class StepReport:
    step: int
    steps: int
    epoch: int
    train_loss: float
    train_accuracy: float
    valid_loss: float | None
    valid_accuracy: float | None
    seconds: float  # this step's
    elapsed: float
    cpu_seconds: float  # this step's CPU time (all threads): steadier than seconds on a shared machine


@dataclass(frozen=True)
class Checkpoint:
    step: int
    path: Path
    full_valid_loss: float | None
    full_valid_accuracy: float | None


@dataclass
class TrainingResult:
    out: Path
    results: Path
    steps: int
    seconds: float
    load_seconds: float
    method: str
    examples: int
    left_out: int  # examples longer than max_tokens
    cpu_seconds: float = 0.0
    checkpoints: list[Checkpoint] = field(default_factory=list)

    @property
    def best(self) -> Checkpoint:
        """The checkpoint with the lowest full validation loss (the last one without validation)."""
        scored = [point for point in self.checkpoints if point.full_valid_loss is not None]
        if not scored:
            return self.checkpoints[-1]
        return min(scored, key=lambda point: (point.full_valid_loss, point.step))


Progress = Callable[[StepReport], None]


@dataclass
class _Measure:
    loss: float
    accuracy: float


def train(request: TrainingRequest, progress: Progress) -> TrainingResult:
    """Trains, writing results.csv row by row and a checkpoint at each epoch's end; returns where they are."""
    import torch

    random.seed(request.seed)
    torch.manual_seed(request.seed)
    if request.threads:
        torch.set_num_threads(request.threads)
    conversations = read_conversations(request.train)[: request.limit]
    valid_conversations = read_conversations(request.valid) if request.valid else []
    started = time.perf_counter()
    loaded = load(request.base)
    load_seconds = time.perf_counter() - started
    examples = tokenize(conversations, loaded.tokenizer, request.max_tokens)
    valid = tokenize(valid_conversations, loaded.tokenizer, request.max_tokens)
    if not examples:
        raise LocalModelError(f"{request.train}: no example fits in --max-tokens {request.max_tokens}")
    pad = int(loaded.tokenizer.pad_token_id)
    model = _trainable(loaded.model, request)
    trained = [parameter for parameter in model.parameters() if parameter.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=request.learning_rate or LEARNING_RATES[request.method])
    per_epoch = math.ceil(len(examples) / request.batch_size)
    steps = min(per_epoch * request.epochs, request.max_steps or per_epoch * request.epochs)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda done: max(0.0, 1 - done / steps))
    request.out.mkdir(parents=True, exist_ok=True)
    results = request.out / RESULTS_FILE
    left_out = len(conversations) - len(examples)
    result = TrainingResult(request.out, results, steps, 0.0, load_seconds, request.method, len(examples), left_out)
    shuffler = random.Random(request.seed)
    valid_batches = _batches(valid, request.batch_size)
    began, began_cpu = time.perf_counter(), time.process_time()
    with results.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        step = 0
        for epoch in range(1, request.epochs + 1):
            order = list(examples)
            shuffler.shuffle(order)
            for batch in _batches(order, request.batch_size):
                if step >= steps:
                    break
                step += 1
                step_started, step_cpu = time.perf_counter(), time.process_time()
                model.train()
                measured = _forward(model, batch, pad)
                measured.loss.backward()  # type: ignore[no-untyped-call]
                torch.nn.utils.clip_grad_norm_(trained, 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                row: dict[str, Any] = {
                    "step": step,
                    **_cells("train", _Measure(measured.loss.item(), measured.accuracy)),
                }
                checked = None
                if valid_batches and (step % request.eval_every == 0 or step == 1):
                    checked = _evaluate(model, [valid_batches[(step // request.eval_every) % len(valid_batches)]], pad)
                    row.update(_cells("valid", checked))
                last_of_epoch = step % per_epoch == 0 or step == steps
                if last_of_epoch:
                    full = _evaluate(model, valid_batches, pad) if valid_batches else None
                    if full is not None:
                        row.update(_cells("full_valid", full))
                    result.checkpoints.append(_save(model, loaded.tokenizer, request, step, epoch, full))
                writer.writerow(row)
                handle.flush()
                now = time.perf_counter()
                progress(
                    StepReport(
                        step=step,
                        steps=steps,
                        epoch=epoch,
                        train_loss=row["train_loss"],
                        train_accuracy=row["train_mean_token_accuracy"],
                        valid_loss=None if checked is None else checked.loss,
                        valid_accuracy=None if checked is None else checked.accuracy,
                        seconds=now - step_started,
                        elapsed=now - began,
                        cpu_seconds=time.process_time() - step_cpu,
                    )
                )
    result.seconds = time.perf_counter() - began
    result.cpu_seconds = time.process_time() - began_cpu
    _write_run(request, result)
    return result


def _trainable(model: Any, request: TrainingRequest) -> Any:
    if request.method == "full":
        return model
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(
        r=request.lora_rank,
        lora_alpha=2 * request.lora_rank,
        lora_dropout=0.0,
        target_modules=list(LORA_TARGETS),
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


def _batches(examples: Sequence[Example], size: int) -> list[list[Example]]:
    return [list(examples[start : start + size]) for start in range(0, len(examples), size)]


@dataclass
class _Forward:
    loss: torch.Tensor
    accuracy: float
    tokens: int


def _forward(model: Any, batch: Sequence[Example], pad: int) -> _Forward:
    """Loss over the answer tokens of a batch, and the share of them predicted exactly.

    The batch is padded on the left, so every answer ends at the last position and the model computes logits
    (49,152 per token) only for the last positions that hold an answer, not for the prompts.
    """
    import torch

    width = max(len(example.input_ids) for example in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORED, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    answer = 1
    for row, example in enumerate(batch):
        start = width - len(example.input_ids)
        ids[row, start:] = torch.tensor(example.input_ids)
        labels[row, start:] = torch.tensor(example.labels)
        mask[row, start:] = 1
        answer = max(answer, sum(label != IGNORED for label in example.labels))
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    keep = min(width, answer + 1)  # the logits before each answer token
    output = model(input_ids=ids, attention_mask=mask, position_ids=positions, logits_to_keep=keep)
    logits = output.logits[:, :-1, :]
    targets = labels[:, width - keep + 1 :]
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.size(-1)), targets.reshape(-1), ignore_index=IGNORED
    )
    counted = targets != IGNORED
    tokens = int(counted.sum().item())
    right = int(((logits.argmax(-1) == targets) & counted).sum().item())
    return _Forward(loss=loss, accuracy=right / tokens if tokens else 0.0, tokens=tokens)


def _evaluate(model: Any, batches: Sequence[Sequence[Example]], pad: int) -> _Measure:
    """Loss and token accuracy over the batches, weighted by their answer tokens."""
    import torch

    model.eval()
    loss = right = tokens = 0.0
    with torch.no_grad():
        for batch in batches:
            measured = _forward(model, batch, pad)
            loss += measured.loss.item() * measured.tokens
            right += measured.accuracy * measured.tokens
            tokens += measured.tokens
    return _Measure(loss / tokens if tokens else math.nan, right / tokens if tokens else 0.0)


def _cells(prefix: str, measured: _Measure) -> dict[str, float]:
    return {f"{prefix}_loss": round(measured.loss, 6), f"{prefix}_mean_token_accuracy": round(measured.accuracy, 6)}


def _save(
    model: Any, tokenizer: Any, request: TrainingRequest, step: int, epoch: int, full: _Measure | None
) -> Checkpoint:
    path = request.out / f"checkpoint-{step}"
    with warnings.catch_warnings():  # transformers' and peft's notes on their own deprecations, not the user's
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)
        model.save_pretrained(str(path))
    if request.method == "full":
        tokenizer.save_pretrained(str(path))
    info = {
        "base": str(request.base) if request.base else None,
        "method": request.method,
        "step": step,
        "epoch": epoch,
        "train": str(request.train),
        "separator": template.SEPARATOR,
        "stop": template.STOP,
        "full_valid_loss": None if full is None else full.loss,
    }
    (path / RUN_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return Checkpoint(step, path, None if full is None else full.loss, None if full is None else full.accuracy)


def _write_run(request: TrainingRequest, result: TrainingResult) -> None:
    """The run's own run.json: its checkpoints and the best one, which `local-model serve RUN` loads."""
    if not result.checkpoints:
        raise LocalModelError("training ended before its first checkpoint")
    info = {
        "base": str(request.base) if request.base else None,
        "method": request.method,
        "steps": result.steps,
        "seconds": round(result.seconds, 1),
        "cpu_seconds": round(result.cpu_seconds, 1),
        "train": str(request.train),
        "examples": result.examples,
        "best": result.best.path.name,
        "checkpoints": [
            {"step": point.step, "path": point.path.name, "full_valid_loss": point.full_valid_loss}
            for point in result.checkpoints
        ],
    }
    (request.out / RUN_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
