"""`bestdev dataset build|check`: fine-tuning data from the pool, and its checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands, non_negative_float, positive_int
from bestdev.commands.extras import needs
from bestdev.pool import Pool


def register(commands: Subcommands) -> None:
    from bestdev.dataset.defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION
    from bestdev.dataset.fine_tunable import FINE_TUNABLE

    dataset = commands.add_parser("dataset", help="build and check fine-tuning data").add_subparsers(
        required=True, metavar="ACTION"
    )
    build = dataset.add_parser("build", help="write training and validation JSONL (prompt/completion and chat)")
    build.add_argument(
        "--pool", type=Path, metavar="FILE", help="pool JSON (default: BESTDEV_POOL, else the bundled sample)"
    )
    build.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="directory for the JSONL files and dataset.json"
    )
    build.add_argument(
        "--examples",
        type=positive_int,
        default=DEFAULT_EXAMPLES,
        metavar="N",
        help="project examples (default %(default)s)",
    )
    build.add_argument(
        "--validation-fraction",
        type=float,
        default=DEFAULT_VALIDATION_FRACTION,
        metavar="F",
        help="share held out for validation (default %(default)s)",
    )
    build.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help="same seed, same files (default %(default)s)"
    )
    build.add_argument(
        "--feedback",
        type=Path,
        metavar="FILE",
        help="exported feedback (bestdev feedback export): people's chosen and good picks become examples",
    )
    build.set_defaults(command=_dataset_build)

    check = dataset.add_parser("check", help="check a JSONL file; non-zero exit on errors")
    check.add_argument("file", type=Path, metavar="FILE", help="the JSONL file to check (from `dataset build`)")
    check.add_argument(
        "--pool", type=Path, metavar="FILE", help="pool JSON (default: BESTDEV_POOL, else the bundled sample)"
    )
    check.add_argument("--fix", type=Path, metavar="OUT", help="write a mechanically repaired copy to OUT")
    check.add_argument(
        "--model",
        choices=sorted(FINE_TUNABLE),
        help="base model for token limits and price (default: gpt-4.1-mini; `finetune models` lists the account's)",
    )
    check.add_argument(
        "--token-limit", type=positive_int, metavar="N", help="tokens allowed per example (default: the model's)"
    )
    check.add_argument(
        "--epochs", type=positive_int, metavar="N", help="epochs for the cost estimate (default: the service's choice)"
    )
    check.add_argument(
        "--price-per-million",
        type=non_negative_float,
        metavar="USD",
        help="training price per 1M tokens (default: the model's list price, 5.00 for gpt-4.1-mini)",
    )
    check.set_defaults(command=_dataset_check)


def _dataset_pool(path: Path | None) -> tuple[Pool, str]:
    """The pool a file names; else the published pool (BESTDEV_POOL_URL), BESTDEV_POOL, or the bundled sample."""
    from bestdev.pool import SAMPLE_POOL, load_pool
    from bestdev.settings import load_training_settings

    if path is not None:
        return load_pool(path), str(path)
    settings = load_training_settings(local_settings=LOCAL_SETTINGS)
    if settings.pool_url:
        from bestdev.pool_source.open import open_pool, pool_source

        source = pool_source(settings)
        return open_pool(source).pool, source.description
    path = settings.pool_path or SAMPLE_POOL
    return load_pool(path), str(path)


def _dataset_build(args: argparse.Namespace) -> int:
    from bestdev.dataset.build import build, write
    from bestdev.feedback.export import read_decisions

    pool, pool_file = _dataset_pool(args.pool)
    feedback = None if args.feedback is None else read_decisions(args.feedback)
    dataset = build(pool, args.examples, args.validation_fraction, args.seed, feedback=feedback)
    for path in write(dataset, args.out, pool_file, pool):
        print(f"wrote {path}")
    print(f"from {pool_file}: {pool.company}, {len(pool.developers)} developers, pool version {pool.version}")
    labels = dataset.labels()
    print(
        f"{len(dataset.training)} training and {len(dataset.validation)} validation examples (seed {args.seed}); "
        f"{len(labels)} of {len(pool.developers)} developers labelled, {min(labels.values(), default=0)} to "
        f"{max(labels.values(), default=0)} examples each"
    )
    if dataset.people is not None:
        people = dataset.people
        in_validation = sum(example.source == "people" for example in dataset.validation)
        print(
            f"{len(people.examples)} examples from people ({len(people.examples) - in_validation} training, "
            f"{in_validation} validation) out of {people.decisions} decisions; {people.superseded} outranked by "
            "another decision on the same description"
        )
        if people.left_pool:
            print(f"warning: decisions skipped, no longer in the pool: {', '.join(people.left_pool)}", file=sys.stderr)
    if dataset.never_ranked_first:
        print(f"warning: the recommender never ranks first: {', '.join(dataset.never_ranked_first)}", file=sys.stderr)
    return 0


@needs("training", "dataset check")
def _dataset_check(args: argparse.Namespace) -> int:
    from bestdev.dataset.check import check
    from bestdev.dataset.check_report import render, render_fix
    from bestdev.dataset.fix import fix
    from bestdev.errors import FileError

    pool, _ = _dataset_pool(args.pool)
    options = {"pool": pool, "model": args.model, "token_limit": args.token_limit}
    options |= {"price_per_million": args.price_per_million, "epochs": args.epochs}
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FileError(f"{args.file}: cannot be read ({error})") from None
    try:
        report = check(lines, str(args.file), **options)
        print(render(report))
        if args.fix is None:
            return 1 if report.errors else 0
        result = fix(lines)
        args.fix.write_text("".join(f"{line}\n" for line in result.lines), encoding="utf-8")
        print(f"\n{render_fix(result, str(args.fix))}\n")
        fixed = check(result.lines, str(args.fix), **options)
    except OSError as error:
        raise FileError(f"{args.fix}: cannot be written ({error.strerror or error})") from None
    print(render(fixed))
    return 1 if fixed.errors else 0
