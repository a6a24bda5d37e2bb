"""`bestdev serve` as a real process on its default SQLite store: 200 feedback posts at once, a restart, an export."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from tests.api.test_serve_logs import ROOT, STARTUP_SECONDS, free_port

CONCURRENT = 200
DESCRIPTION = "A React Native app with Firebase, request {}"


def environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AZURE_", "BESTDEV_"))}
    return {**env, "PYTHONPATH": str(ROOT)}


@contextmanager
def serve(workdir: Path) -> Iterator[str]:
    """`bestdev serve` in `workdir` with no feedback setting: the default store, relative to where it runs."""
    port = free_port()
    with (workdir / "serve.log").open("a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bestdev", "serve", "--port", str(port)],
            cwd=workdir,
            env=environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert process.poll() is None, (workdir / "serve.log").read_text()
                try:
                    urllib.request.urlopen(f"{url}/api/health", timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


async def recommend_then_post_all(url: str) -> list[dict[str, object]]:
    limits = httpx2.Limits(max_connections=CONCURRENT)
    async with httpx2.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        answers = []
        for number in range(CONCURRENT):
            response = await client.post(
                "/api/recommend",
                json={"description": DESCRIPTION.format(number)},
                headers={"X-Request-ID": f"req-{number}"},
            )
            assert response.status_code == 200
            answers.append(response.json())

        async def post(number: int) -> httpx2.Response:
            first = answers[number]["recommendations"][0]["name"]  # type: ignore[index]
            body = {
                "request_id": f"req-{number}",
                "description": DESCRIPTION.format(number),
                "developer": first,
                "verdict": "good",
            }
            return await client.post("/api/feedback", json=body)

        responses = await asyncio.gather(*(post(number) for number in range(CONCURRENT)))
    assert [response.status_code for response in responses] == [201] * CONCURRENT, {
        response.status_code: response.text for response in responses
    }
    return [response.json() for response in responses]


def test_concurrent_feedback_survives_a_restart_and_exports_whole(tmp_path: Path) -> None:
    with serve(tmp_path) as url:
        created = asyncio.run(recommend_then_post_all(url))
    assert (tmp_path / ".bestdev" / "feedback.sqlite3").is_file()
    with serve(tmp_path) as url:  # the same store after a restart: the answers are still there too
        answer = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{url}/api/feedback",
                    data=json.dumps(
                        {
                            "request_id": "req-0",
                            "description": DESCRIPTION.format(0),
                            "developer": "Chen Wei",
                            "verdict": "chosen",
                        }
                    ).encode(),
                    headers={"Content-Type": "application/json"},
                ),
                timeout=30,
            ).read()
        )
        assert answer["verdict"] == "chosen"
    out = tmp_path / "feedback.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "bestdev", "feedback", "export", "--out", str(out)],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == CONCURRENT + (created[0]["developer"] != "Chen Wei")
    assert {line["request_id"] for line in lines} == {f"req-{number}" for number in range(CONCURRENT)}
    assert {item["id"] for item in created} <= {line["id"] for line in lines}
    assert f"wrote {len(lines)} decisions" in result.stdout
