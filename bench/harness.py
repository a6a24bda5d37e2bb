"""What the benchmarks share: the fake model and `bestdev serve` in their own processes, a lean HTTP client,
the bare SDK call they are compared with, and the Figure each benchmark reports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENT = "bench-ft"
DESCRIPTION = "A React Native app with Firebase for a coffee chain's loyalty programme"
STARTUP_SECONDS = 30.0
MAX_TOKENS = 64  # the app's default BESTDEV_MODEL_MAX_TOKENS


@dataclass(frozen=True)
class Figure:
    """One measured figure; `goal` is the bound it should meet (`value <= goal`), if it has one."""

    name: str
    value: float
    unit: str = ""
    goal: float | None = None
    detail: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.value <= self.goal


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the developer's Azure/BestDev settings, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AZURE_", "BESTDEV_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


def model_env(model_url: str) -> dict[str, str]:
    """Settings that point the fine-tuned backend at the fake model, with a key (no Azure identity)."""
    return {
        "AZURE_OPENAI_ENDPOINT": model_url,
        "AZURE_OPENAI_DEPLOYMENT": DEPLOYMENT,
        "AZURE_OPENAI_API_KEY": "bench-key",
        "BESTDEV_FALLBACK": "none",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    """Until `port` accepts connections (uvicorn listens only once the app's startup has finished)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on {port} within {STARTUP_SECONDS:g} s") from None
            time.sleep(0.005)


@dataclass(frozen=True)
class Running:
    port: int
    pid: int


@contextmanager
def process(args: Sequence[str], what: str, env: Mapping[str, str] | None = None) -> Iterator[Running]:
    """Runs `python -m ...args --port N` from a scratch directory until the block ends."""
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch, open(Path(scratch) / "stderr.log", "wb") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", *args, "--port", str(port)],
            cwd=scratch,
            env=clean_env(env),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_for_port(port, child, what)
            yield Running(port, child.pid)
        except RuntimeError:
            log.flush()
            sys.stderr.write((Path(scratch) / "stderr.log").read_text(errors="replace")[-4000:])
            raise
        finally:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextmanager
def fake_model(delay: float = 0.0) -> Iterator[str]:
    """The tests' fake model in its own process; yields its base URL."""
    with process(["bench.fake_model", "--delay", str(delay)], "the fake model") as running:
        yield f"http://127.0.0.1:{running.port}"


@contextmanager
def serve(model_url: str) -> Iterator[Running]:
    """`bestdev serve` (uvicorn, one worker) answering from the fake model."""
    with process(["bestdev", "serve"], "bestdev serve", model_env(model_url)) as running:
        yield running


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a client can be, so timings show the server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        length = 0
        for line in lines:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def closed(self) -> bool:
        """True when the server has closed the connection (say, after its keep-alive timeout)."""
        return self.reader.at_eof() or self.writer.is_closing()

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0.0 where that is unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def recommend_body(description: str = DESCRIPTION) -> bytes:
    import json

    return json.dumps({"description": description, "top_k": 3}).encode()


def answered_by_model(status: int, body: bytes) -> bool:
    """A 200 whose first recommendation came from the model (a fallback would hide a failed model call)."""
    import json

    return status == 200 and json.loads(body).get("backend") == "azure-openai"


def bare_client(model_url: str, max_connections: int = 256) -> Any:
    """The openai SDK client the app builds (same timeouts, retries and pool), for the bare SDK calls."""
    from bestdev.model.client import build_client
    from bestdev.settings import load_settings

    values: dict[str, Any] = {**model_env(model_url), "BESTDEV_MODEL_MAX_CONNECTIONS": max_connections}
    return build_client(load_settings(**values))


def bare_messages(description: str = DESCRIPTION) -> list[dict[str, str]]:
    """The messages the app sends the model for `description`: the same prompt, so the same work."""
    from bestdev import template
    from bestdev.pool import load_pool

    prompt = template.prompt(load_pool().company, description)
    return [{"role": message["role"], "content": message["content"]} for message in template.chat_messages(prompt)]


async def bare_call(client: Any, messages: list[dict[str, str]]) -> str:
    """One bare SDK call, exactly as the app makes it."""
    from bestdev import template

    response = await client.chat.completions.create(
        model=DEPLOYMENT, messages=messages, stop=[template.STOP], temperature=0, max_tokens=MAX_TOKENS
    )
    return str(response.choices[0].message.content)


def run_loop(main: Any) -> Any:
    """Runs a coroutine on the event loop `bestdev serve` gets (uvicorn picks uvloop when it is installed),
    so the bare SDK calls run on the same kind of loop as the app's own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
