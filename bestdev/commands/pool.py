"""`bestdev pool import|check|schema|publish|trained`: a company's own pool, from the files it keeps to the app.

import   reads skills matrices (CSV, .xlsx), long lists, people lists and pool JSON into one pool file
check    lists every problem of a pool file at once, and skills the vocabulary does not know
schema   prints the pool file's JSON Schema
publish  validates a pool file and uploads it as a new version to the app's storage (Entra ID, no keys)
trained  records which pool the deployed model was trained on, so /api/health can say how far the pool moved
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands
from bestdev.commands.extras import needs
from bestdev.errors import BestDevError

if TYPE_CHECKING:
    from bestdev.settings import Settings


class PoolProblems(BestDevError):
    """`pool check` found problems: exit 1, apart from a file that cannot be read (2)."""

    exit_code = 1


def register(commands: Subcommands) -> None:
    pool = commands.add_parser("pool", help="import, check and publish your company's pool")
    actions = pool.add_subparsers(required=True, metavar="ACTION")

    importing = actions.add_parser("import", help="read skills matrices, long lists, people lists or pool JSON")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CSV, .xlsx or pool JSON files")
    importing.add_argument("--out", type=Path, required=True, help="the pool JSON to write")
    importing.add_argument("--company", help="the company's name (a pool JSON among the files may give it)")
    importing.add_argument(
        "--format",
        choices=("matrix", "long", "people", "json"),
        help="read every file as this format (default: detected from each file's content)",
    )
    importing.set_defaults(command=_import)

    check = actions.add_parser("check", help="list every problem of a pool file at once")
    check.add_argument("file", type=Path, help="the pool JSON")
    check.set_defaults(command=_check)

    schema = actions.add_parser("schema", help="print the pool file's JSON Schema")
    schema.set_defaults(command=_schema)

    publish = actions.add_parser("publish", help="validate a pool file and upload it as the app's new pool")
    publish.add_argument("file", type=Path, help="the pool JSON")
    publish.add_argument(
        "--url", help="the container or pool URL (default: BESTDEV_POOL_URL, an azd output once provisioned)"
    )
    publish.set_defaults(command=_publish)

    trained = actions.add_parser(
        "trained", help="record the pool the deployed model was trained on (from its dataset.json), for drift"
    )
    trained.add_argument("dataset", type=Path, help="the dataset.json `dataset build` wrote beside the JSONL files")
    trained.add_argument("--url", help="the pool container's URL (default: BESTDEV_POOL_URL)")
    trained.set_defaults(command=_trained)


@needs("import", "pool import")
def _import(args: argparse.Namespace) -> int:
    from bestdev.pool_import.merge import import_pool
    from bestdev.pool_import.write import write_atomically

    imported = import_pool(args.files, args.company, args.format)
    text = json.dumps(imported.pool.document(), indent=2, ensure_ascii=False) + "\n"
    write_atomically(args.out, text)
    for line in imported.report():
        print(line, file=sys.stderr)
    print(f"wrote {args.out} (version {imported.pool.version})")
    return 0


def _check(args: argparse.Namespace) -> int:
    from bestdev.errors import FileError
    from bestdev.pool import pool_problems
    from bestdev.pool_import.skill_names import SkillNames

    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise FileError(f"{args.file}: cannot be read ({error.strerror or error})") from None
    found = pool_problems(data)
    if isinstance(found, list):
        for problem in found:
            print(f"{args.file}: {problem}")
        raise PoolProblems(f"{args.file}: {len(found)} problem{'s' if len(found) != 1 else ''}")
    names = SkillNames()
    unknown = 0
    for index, developer in enumerate(found.developers):
        for skill in developer.skills:
            if names.canonical(skill) is None:
                unknown += 1
                hints = names.suggestions(skill)
                hint = f" (did you mean {' or '.join(repr(name) for name in hints)}?)" if hints else ""
                print(f"{args.file}: developers[{index}] ({developer.name}): {skill!r} is not in the vocabulary{hint}")
    print(
        f"{args.file}: valid: {found.company}, {len(found.developers)} developers, version {found.version}"
        + (f"; {unknown} skills the recommender cannot match from a description" if unknown else "")
    )
    return 0


def _schema(args: argparse.Namespace) -> int:
    from bestdev.pool import pool_schema

    print(json.dumps(pool_schema(), indent=2, ensure_ascii=False))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from bestdev.errors import FileError
    from bestdev.pool import parse_pool
    from bestdev.pool_source.blob import publish

    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise FileError(f"{args.file}: cannot be read ({error.strerror or error})") from None
    pool = parse_pool(data, str(args.file))  # an invalid pool is never uploaded
    settings, url = _container_url(args)
    name = publish(settings, url, data, pool)
    print(f"published {pool.company}, {len(pool.developers)} developers, version {pool.version} as {name}")
    return 0


def _container_url(args: argparse.Namespace) -> tuple[Settings, str]:
    from bestdev.settings import SettingsError, load_training_settings

    settings = load_training_settings(local_settings=LOCAL_SETTINGS)
    url = args.url or settings.pool_url
    if not url or not url.startswith("https://"):
        raise SettingsError("BESTDEV_POOL_URL (or --url) must be the pool container's https:// URL")
    return settings, url


def _trained(args: argparse.Namespace) -> int:
    from bestdev.errors import FileError
    from bestdev.pool import parse_trained
    from bestdev.pool_source.blob import TRAINED, publish_trained

    try:
        data = args.dataset.read_bytes()
    except OSError as error:
        raise FileError(f"{args.dataset}: cannot be read ({error.strerror or error})") from None
    trained = parse_trained(data, str(args.dataset))
    settings, url = _container_url(args)
    publish_trained(settings, url, trained)
    print(f"recorded pool version {trained.version} ({len(trained.developers)} developers) as {url}/{TRAINED}")
    return 0
