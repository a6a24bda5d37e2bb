"""`bestdev smoke URL`: check a deployment as its callers meet it (bestdev/smoke.py), and exit 1 if anything fails.

Signed in with `--token` (a bearer token for the app registration), `--client-id` (get one with azure-identity's
DefaultAzureCredential: the service principal or managed identity this runs as), or `--cookie` (a browser's
AppServiceAuthSession after signing in). `--origin` checks a preflight from a page hosted elsewhere.
"""

from __future__ import annotations

import argparse
from typing import ClassVar

from bestdev.commands.common import Subcommands, non_negative_float
from bestdev.errors import BestDevError, ServiceError

MARKS = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}


class SmokeFailed(BestDevError):
    """A smoke check failed: exit 1, the lines above say which."""

    exit_code: ClassVar[int] = 1


def register(commands: Subcommands) -> None:
    smoke = commands.add_parser("smoke", help="check a deployment: sign-in, page, assets, API, CORS, headers")
    smoke.add_argument("url", help="the app's base URL, e.g. https://func-api-abc123.azurewebsites.net")
    who = smoke.add_mutually_exclusive_group()
    who.add_argument("--token", help="a bearer token for the app registration (e.g. from az account get-access-token)")
    who.add_argument("--client-id", help="the app registration's client id: get a token with DefaultAzureCredential")
    who.add_argument("--cookie", help="the AppServiceAuthSession cookie of a signed-in browser")
    smoke.add_argument("--origin", help="an allowed browser origin (BESTDEV_CORS_ORIGINS) to check a preflight from")
    smoke.add_argument("--timeout", type=non_negative_float, default=30.0, help="seconds per request (default 30)")
    smoke.set_defaults(command=_smoke)


def _smoke(args: argparse.Namespace) -> int:
    from bestdev.smoke import SmokeTarget, run_smoke

    token = args.token or (_token_for(args.client_id) if args.client_id else None)
    target = SmokeTarget(args.url, token=token, cookie=args.cookie, origin=args.origin, timeout=args.timeout)
    checks = run_smoke(target)
    for check in checks:
        print(f"{MARKS[check.status]}  {check.name}" + (f": {check.detail}" if check.detail else ""))
    failed = [check for check in checks if check.status == "fail"]
    if failed:
        raise SmokeFailed(f"{len(failed)} of {len(checks)} smoke checks failed")
    return 0


def _token_for(client_id: str) -> str:
    """A token for the app registration, as the identity this runs as (client credentials for a service)."""
    from azure.core.exceptions import ClientAuthenticationError
    from azure.identity import DefaultAzureCredential

    try:
        with DefaultAzureCredential(exclude_interactive_browser_credential=True) as credential:
            return credential.get_token(f"{client_id}/.default").token
    except ClientAuthenticationError as error:
        raise ServiceError(f"could not get a token for {client_id}: {error.message}") from None
