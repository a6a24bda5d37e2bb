"""Call BestDev in Azure as a service: get a token for its app registration with azure-identity (client
credentials), then POST /api/recommend with it. See docs/deploy-azure.md, "A service".

    pip install azure-identity httpx2
    # client credentials of the calling app (an app registration assigned the BestDev.User role):
    export AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=...   # or a certificate, or a managed identity
    python examples/call_bestdev.py https://func-api-abc123.azurewebsites.net BESTDEV_CLIENT_ID "A React Native app"

BESTDEV_CLIENT_ID is BestDev's own registration (`azd env get-value BESTDEV_SIGN_IN_CLIENT_ID`): the token is *for*
it. DefaultAzureCredential takes the client secret or certificate from the environment (EnvironmentCredential),
or the managed identity when this runs in Azure.
"""

from __future__ import annotations

import argparse
import sys

import httpx2
from azure.identity import DefaultAzureCredential


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="BestDev's base URL")
    parser.add_argument("client_id", help="BestDev's app registration (client id) to get a token for")
    parser.add_argument("description", help="the project, in free text")
    parser.add_argument("--top-k", type=int, default=3)
    args = parser.parse_args(argv)

    with DefaultAzureCredential(exclude_interactive_browser_credential=True) as credential:
        token = credential.get_token(f"{args.client_id}/.default").token  # an app-only token, with its app roles
    response = httpx2.post(
        f"{args.url.rstrip('/')}/api/recommend",
        json={"description": args.description, "top_k": args.top_k},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30.0,
    )
    if response.status_code != 200:  # 401: no or a wrong token; 403: a client or app role not allowed
        print(f"BestDev answered {response.status_code}: {response.text[:300]}", file=sys.stderr)
        return 1
    for item in response.json()["recommendations"]:
        print(f"{item['name']}: {', '.join(item.get('matched_skills', []))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
