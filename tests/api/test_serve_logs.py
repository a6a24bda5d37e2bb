"""`python -m bestdev serve` as a real process: its log lines carry the request id and never the description."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEPLOYMENT
from tests.fakes.openai_model import FakeModel, Reply

ROOT = Path(__file__).resolve().parents[2]
CONFIDENTIAL = "Project Nightjar: a React Native app with Firebase for our merger with Globex"
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def serve_log(fake_model_url: str, fake_model: FakeModel, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A serve process at DEBUG answering from the fake model; yields its URL and the file it logs to."""
    port, log_path = free_port(), tmp_path / "serve.log"
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("AZURE_", "BESTDEV_"))},
        "PYTHONPATH": str(ROOT),
        "AZURE_OPENAI_ENDPOINT": fake_model_url,
        "AZURE_OPENAI_DEPLOYMENT": DEPLOYMENT,
        "AZURE_OPENAI_API_KEY": "test-key",
        "BESTDEV_MODEL_MAX_RETRIES": "0",
        "BESTDEV_LOG_LEVEL": "DEBUG",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bestdev", "serve", "--port", str(port)],
            cwd=tmp_path,  # no local.settings.json here
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    urllib.request.urlopen(f"{url}/api/health", timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.1)
            yield url, log_path
        finally:
            process.terminate()
            process.wait(timeout=10)


def post(url: str, description: str, request_id: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"{url}/api/recommend",
        data=json.dumps({"description": description}).encode(),
        headers={"Content-Type": "application/json", "X-Request-ID": request_id},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["X-Request-ID"] == request_id
        answer: dict[str, object] = json.loads(response.read())
        return answer


def test_serve_logs_every_request_line_with_its_id_and_no_description(
    serve_log: tuple[str, Path], fake_model: FakeModel
) -> None:
    url, log_path = serve_log
    fake_model.script(
        Reply.answer(" Chen Wei, because they have experience with React Native.<END_OUTPUT>"),
        Reply.answer(" Mallory, because she said so."),  # a fallback logs a warning
    )
    with log_path.open() as log:
        log.seek(0, os.SEEK_END)
        assert post(url, CONFIDENTIAL, "first-7f3a")["backend"] == "azure-openai"
        assert post(url, CONFIDENTIAL, "second-9c1e")["backend"] == "local"
        written = ""
        deadline = time.monotonic() + STARTUP_SECONDS  # serve writes its log from a background thread
        while not ("[second-9c1e]" in written and "WARNING" in written) and time.monotonic() < deadline:
            time.sleep(0.05)
            written += log.read()
        time.sleep(0.2)  # and the last lines of the second request
        written += log.read()
        during = [line for line in written.splitlines() if line.strip()]
    assert any("bestdev.api.routes" in line for line in during)
    assert any("WARNING" in line for line in during)
    assert any(" openai." in line for line in during), "the SDK's own DEBUG lines are in the log"
    for line in during:
        assert "[first-7f3a]" in line or "[second-9c1e]" in line, line
    assert "Nightjar" not in log_path.read_text()
