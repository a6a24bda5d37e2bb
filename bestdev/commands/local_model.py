"""`bestdev local-model train|serve`: fine-tune a small open model on `dataset build`'s JSONL on this machine,
and serve it (or the untuned base model) behind the Azure OpenAI API subset BestDev calls."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands, positive_int
from bestdev.commands.extras import needs

if TYPE_CHECKING:
    from bestdev.local_model.prompting import FewShot
    from bestdev.pool import Pool

LOCAL_MODEL_RUNS = Path("local-model-runs")
DEFAULT_PORT = 8081
DEFAULT_SHOTS = 3


def register(commands: Subcommands) -> None:
    group = commands.add_parser("local-model", help="fine-tune and serve a small open model on this machine")
    steps = group.add_subparsers(required=True, metavar="STEP")

    train = steps.add_parser("train", help="fine-tune SmolLM2-135M-Instruct on a chat JSONL; checkpoints, results.csv")
    train.add_argument("--train", type=Path, required=True, metavar="FILE", help="training JSONL (dataset build)")
    train.add_argument("--valid", type=Path, metavar="FILE", help="validation JSONL")
    train.add_argument("--out", type=Path, metavar="DIR", help=f"run folder (default {LOCAL_MODEL_RUNS}/TIME)")
    train.add_argument("--method", choices=["lora", "full"], default="lora", help="LoRA adapters or all weights")
    train.add_argument("--epochs", type=positive_int, default=2, help="passes over the training file (default 2)")
    train.add_argument("--batch-size", type=positive_int, default=8, help="examples per step (default 8)")
    train.add_argument("--learning-rate", type=float, help="default 1e-3 for LoRA, 5e-5 for all weights")
    train.add_argument("--max-steps", type=positive_int, help="stop after this many steps")
    train.add_argument("--limit", type=positive_int, help="train on the first N examples only")
    train.add_argument("--max-tokens", type=positive_int, default=1024, help="leave out longer examples (default 1024)")
    train.add_argument("--eval-every", type=positive_int, default=5, help="steps between validation batches")
    train.add_argument("--seed", type=int, default=0, help="for the shuffling and the adapter's start (default 0)")
    train.add_argument("--threads", type=positive_int, help="CPU threads (default: PyTorch's choice)")
    train.add_argument("--base", type=Path, metavar="GGUF", help="another base model file (default: SmolLM2)")
    train.set_defaults(command=_train)

    serve = steps.add_parser("serve", help="serve a run (its best checkpoint), a checkpoint, or the base model")
    serve.add_argument("model", nargs="?", type=Path, metavar="RUN|CHECKPOINT|GGUF", help="default: the base model")
    serve.add_argument("--host", default="127.0.0.1", help="a loopback address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--deployment", default="local", help="the deployment name it answers to (default local)")
    serve.add_argument("--api-key", help="require this key (api-key header or bearer token); default: any")
    serve.add_argument(
        "--few-shot",
        action="store_true",
        help="put the pool and a few worked examples before each question (for the untuned base model)",
    )
    serve.add_argument("--pool", type=Path, help="the pool for --few-shot (default: BESTDEV_POOL, else the sample)")
    serve.add_argument("--shots", type=int, default=DEFAULT_SHOTS, help=f"worked examples (default {DEFAULT_SHOTS})")
    serve.set_defaults(command=_serve)


@needs("local-model", "local-model train")
def _train(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bestdev.errors import describe_validation
    from bestdev.local_model.training import StepReport, TrainingRequest, train
    from bestdev.local_model.weights import require_packages
    from bestdev.settings import SettingsError

    require_packages()
    out = args.out or LOCAL_MODEL_RUNS / time.strftime("%Y%m%d-%H%M%S")
    options = {
        "train": args.train,
        "valid": args.valid,
        "out": out,
        "base": args.base,
        "method": args.method,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
        "max_steps": args.max_steps,
        "limit": args.limit,
        "eval_every": args.eval_every,
        "max_tokens": args.max_tokens,
        "seed": args.seed,
        "threads": args.threads,
    }
    try:
        request = TrainingRequest(**options)
    except ValidationError as error:
        raise SettingsError(f"local-model train: {describe_validation(error, name=_option)}") from None
    print(f"loading the base model and training ({request.method}) into {out} ...", file=sys.stderr)

    def progress(report: StepReport) -> None:
        left = (report.elapsed / report.step) * (report.steps - report.step)
        valid = "" if report.valid_loss is None else f"  valid loss {report.valid_loss:.4f}"
        print(
            f"step {report.step}/{report.steps} (epoch {report.epoch})  train loss {report.train_loss:.4f}"
            f"  accuracy {report.train_accuracy:.3f}{valid}  {report.seconds:.1f} s/step"
            f" (CPU {report.cpu_seconds:.1f} s)  about {left / 60:.1f} min left",
            file=sys.stderr,
            flush=True,
        )

    result = train(request, progress)
    print(
        f"trained {result.steps} steps in {result.seconds / 60:.1f} min, CPU {result.cpu_seconds / 60:.1f} min"
        f" (loading {result.load_seconds:.0f} s; {result.examples} examples,"
        f" {result.left_out} longer than --max-tokens)",
        file=sys.stderr,
    )
    for point in result.checkpoints:
        loss = "-" if point.full_valid_loss is None else f"{point.full_valid_loss:.4f}"
        best = "  (best)" if point == result.best else ""
        print(f"checkpoint {point.path}: full validation loss {loss}{best}")
    print(f"results: {result.results}")
    print(f"next: python -m bestdev finetune results {result.results} --plot {out / 'loss.png'}")
    print(f"      python -m bestdev local-model serve {out}")
    return 0


@needs("local-model", "local-model serve")
def _serve(args: argparse.Namespace) -> int:
    from bestdev.local_model.generation import Generator
    from bestdev.local_model.prompting import AsTrained
    from bestdev.local_model.server import ModelServer
    from bestdev.local_model.serving import loopback, serve
    from bestdev.local_model.weights import load, require_packages

    require_packages()
    host = loopback(args.host)
    prompting = few_shot(_pool(args.pool), args.shots) if args.few_shot else AsTrained()
    print(f"loading {args.model or 'the base model'} ...", file=sys.stderr)
    generator = Generator(load(args.model))
    server = ModelServer(generator, prompting, args.deployment, args.api_key)
    print(f"serving {generator.name} ({prompting.description}) on http://{host}:{args.port}", file=sys.stderr)
    print("point BestDev at it (local.settings.json or the environment):", file=sys.stderr)
    print(f"  AZURE_OPENAI_ENDPOINT=http://{host}:{args.port}", file=sys.stderr)
    print(f"  AZURE_OPENAI_DEPLOYMENT={args.deployment}", file=sys.stderr)
    print(f"  AZURE_OPENAI_API_KEY={args.api_key or 'local'}", file=sys.stderr)
    print("  BESTDEV_MODEL_BACKEND=local-model", file=sys.stderr)
    serve(server.app, host, args.port)
    return 0


def _option(location: tuple[int | str, ...]) -> str:
    return "--" + str(location[0]).replace("_", "-") if location else ""


def _pool(path: Path | None) -> Pool:
    from bestdev.pool import load_pool
    from bestdev.settings import load_settings

    return load_pool(path or load_settings(local_settings=LOCAL_SETTINGS).pool_path)


def few_shot(pool: Pool, shots: int) -> FewShot:
    """The base model's prompting: the pool, and `shots` worked examples built for that pool by `dataset build`."""
    from bestdev.dataset.build import build
    from bestdev.dataset.formats import record
    from bestdev.local_model.prompting import FewShot

    dataset = build(pool, examples=max(len(pool.developers), 20), validation_fraction=0.0)
    examples = [example for example in dataset.training if example.kind == "match"][:shots]
    return FewShot(pool, [record(example, "chat")["messages"] for example in examples])  # type: ignore[misc]
