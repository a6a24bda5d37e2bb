"""`bestdev recommend "DESCRIPTION"` (or `-` for standard input, or `--file PATH`): the API's answer through the
configured backend, in a terminal.

A readable table by default; `--json` prints the body /api/recommend (or /api/team with `--team`) would return,
without the request id, for scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands, UsageError, not_applicable
from bestdev.errors import BestDevError, FileError, describe_validation

# Options as the request schemas name them, and as a person types them.
OPTIONS = {"top_k": "--top-k", "max_size": "--max-size"}


def _option(location: tuple[int | str, ...]) -> str:
    return ".".join(OPTIONS.get(str(part), str(part)) for part in location)


class NoUsableAnswer(BestDevError):
    """The configured model gave no usable answer: exit 3, so a script tells it from bad input (2)."""

    exit_code = 3


def register(commands: Subcommands) -> None:
    recommend = commands.add_parser(
        "recommend",
        help="recommend developers (or staff a team) for a project description, as the API does",
        description="The description comes as an argument, from standard input (`-`), or from a file (--file).",
    )
    recommend.add_argument(
        "description", nargs="?", help="the project in free text, quoted; - reads it from standard input"
    )
    recommend.add_argument(
        "--file", type=Path, metavar="PATH", help="read the description from this UTF-8 text file instead"
    )
    recommend.add_argument(
        "--top-k", type=int, help="how many developers to recommend (1-10, default 3; not with --team)"
    )
    recommend.add_argument("--team", action="store_true", help="staff the whole project instead (see --max-size)")
    recommend.add_argument("--max-size", type=int, help="with --team: the most people (1-6, default 4)")
    recommend.add_argument("--json", action="store_true", dest="as_json", help="print the API's JSON body")
    recommend.add_argument(
        "--start", type=_day, help="the project's first day (YYYY-MM-DD): who is not free by then ranks after who is"
    )
    recommend.add_argument(
        "--pool", type=Path, metavar="FILE", help="pool JSON (default: BESTDEV_POOL, else the bundled sample)"
    )
    recommend.set_defaults(command=_recommend)


def read_description(args: argparse.Namespace) -> str:
    """The description from the argument, standard input (`-`) or --file: exactly one of them."""
    if args.file is not None and args.description is not None:
        raise UsageError("give the description as an argument, as - (standard input) or with --file, not both")
    if args.file is not None:
        try:
            return str(args.file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise FileError(f"cannot read the description from {args.file}: {error}") from None
    if args.description == "-":
        return sys.stdin.read()
    if args.description is None:
        raise UsageError(
            'give the description: bestdev recommend "A React Native app ...", - for standard input, or --file PATH'
        )
    return str(args.description)


def _check_options(args: argparse.Namespace) -> None:
    """An option the chosen answer does not use is an error, not silently ignored."""
    if args.team and args.top_k is not None:
        raise not_applicable("--top-k", "a team's size is set with --max-size")
    if not args.team and args.max_size is not None:
        raise not_applicable("--max-size", "it sets the size of a team; add --team to staff one")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _recommend(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bestdev.api.schemas import RecommendRequest, RecommendResponse, TeamRequest, TeamResponse
    from bestdev.model.faults import ModelFault
    from bestdev.pool import load_pool
    from bestdev.recommend.factory import build_recommender
    from bestdev.settings import SettingsError, load_settings

    _check_options(args)
    description = read_description(args)
    try:
        if args.team:
            team_request = TeamRequest.model_validate(
                {"description": description, "start": args.start}
                | ({} if args.max_size is None else {"max_size": args.max_size})
            )
        else:
            request = RecommendRequest.model_validate(
                {"description": description, "start": args.start}
                | ({} if args.top_k is None else {"top_k": args.top_k})
            )
    except ValidationError as error:
        raise SettingsError(describe_validation(error, name=_option, verbatim=True)) from None
    settings = load_settings(local_settings=LOCAL_SETTINGS)
    pool = load_pool(args.pool or settings.pool_path)

    async def answer() -> dict[str, Any]:
        recommender = build_recommender(settings, pool)
        try:
            if args.team:
                team = await recommender.team(team_request.description, team_request.max_size, team_request.start)
                body = TeamResponse.from_team(team, "", pool.version)
                return body.model_dump(mode="json", exclude={"request_id"})
            outcome = await recommender.recommend(request.description, request.top_k, request.start)
            answer = RecommendResponse.from_outcome(outcome, "", pool.version)
            return answer.model_dump(mode="json", exclude={"request_id"})
        finally:
            await recommender.aclose()

    try:
        body = asyncio.run(answer())
    except ModelFault as fault:
        raise NoUsableAnswer(f"the model gave no usable answer ({fault.cause}): {fault.message}") from None
    if args.as_json:
        print(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        print(format_team(body) if args.team else format_recommendations(body))
    return 0


def format_understood(understood: Sequence[dict[str, Any]]) -> str:
    """'Read: Java*, Spring Boot, PostgreSQL ("Postgres"), machine learning (concept)'; * marks a must-have."""
    if not understood:
        return "Read: nothing recognised"
    parts = []
    for item in understood:
        part = item["technology"] + ("*" if item["weight"] == "must" else "")
        if item["via"] == "concept":
            part += " (concept)"
        elif item["via"] == "spelling":
            part += f' (read from "{item["text"]}")'
        elif item["text"] != item["technology"]:
            part += f' ("{item["text"]}")'
        if item["weight"] == "nice":
            part += " (nice to have)"
        parts.append(part)
    legend = "  (* must-have)" if any(item["weight"] == "must" for item in understood) else ""
    return "Read: " + ", ".join(parts) + legend


def format_unrecognised(unrecognised: Sequence[dict[str, Any]]) -> list[str]:
    """'Not recognised, so not weighed: Gleam, Kubernets (did you mean Kubernetes?)', or nothing."""
    words = [
        item["text"] + (f" (did you mean {item['did_you_mean']}?)" if item.get("did_you_mean") else "")
        for item in unrecognised
    ]
    return [f"Not recognised, so not weighed: {', '.join(words)}"] if words else []


def format_recommendations(body: dict[str, Any]) -> str:
    lines = [format_understood(body["understood"]), *format_unrecognised(body.get("unrecognised", [])), _backend(body)]
    lines.append("")
    if body["recommendations"]:
        rows: list[tuple[str, ...]] = [("#", "Developer", "Title", "Fit", "Matched", "Missing", "Available")]
        for number, item in enumerate(body["recommendations"], 1):
            levels = item["levels"]
            matched = ", ".join(f"{s} {levels[s]}/5" if s in levels else s for s in item["matched_skills"])
            missing = ", ".join(item["missing"]) or "-"
            fit = _percent(item["coverage"])
            rows.append((str(number), item["name"], item["title"] or "", fit, matched, missing, availability(item)))
        lines.append(_table(rows))
    else:
        lines.append(f"Nobody fits. {body['message'] or ''}".rstrip())
    if body["closest"]:  # when nobody fits, or beside the fits: those holding too little
        lines += ["", "Closest, but not a fit:"]
        rows = [("Developer", "Title", "Holds", "Missing")]
        for item in body["closest"]:
            rows.append((item["name"], item["title"] or "", ", ".join(item["holds"]), ", ".join(item["missing"])))
        lines.append(_table(rows))
    return "\n".join(lines)


def format_team(body: dict[str, Any]) -> str:
    lines = [format_understood(body["understood"]), *format_unrecognised(body.get("unrecognised", [])), _backend(body)]
    lines.append("")
    if body["members"]:
        rows: list[tuple[str, ...]] = [("Member", "Title", "Covers", "Available")]
        rows += [
            (item["name"], item["title"] or "", ", ".join(item["covers"]), availability(item))
            for item in body["members"]
        ]
        lines.append(_table(rows))
    else:
        lines.append("No team: nobody in the pool holds anything the project asks for.")
    if body["uncovered"]:
        lines.append(f"\nNobody covers: {', '.join(body['uncovered'])}")
    if body["left_out"]:
        lines.append(f"Needs a larger team: {', '.join(body['left_out'])}")
    if body["message"] and not body["uncovered"] and not body["left_out"]:
        lines.append(f"\n{body['message']}")
    if not body["exact"]:
        lines.append("(a bounded search: the pool's profiles were too varied to try every team)")
    return "\n".join(lines)


def availability(item: dict[str, Any]) -> str:
    """'from 2027-03-03', 'booked 80%', 'now'; '(not by the start)' when the request's start day finds them busy."""
    today = date.today().isoformat()
    later, booked = item["available_from"], item["allocation"]
    if later and later > today:
        text = f"from {later}" + (f", booked {booked}% until then" if booked and booked < 100 else "")
    elif booked and not later:
        text = f"booked {booked}%"
    else:
        text = "now"
    return text + (" (not by the start)" if item["free"] is False else "")


def _backend(body: dict[str, Any]) -> str:
    backend = f"Answered by: {body['backend']}" + (f" ({body['model']})" if body["model"] else "")
    if body["fallback"]:
        backend += f"; the model was bypassed: {body['fallback']['reason']}"
    return backend


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )
