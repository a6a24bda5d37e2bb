"""The live pool: a changed pool file replaces the pool being served, whole, between requests; an invalid one
never does."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest

from bestdev.api.app import create_app
from bestdev.api.live_pool import LivePool
from bestdev.pool import Pool
from bestdev.pool_source.sources import FileSource
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import load_settings
from tests.fakes.server import serve_in_thread

REQUESTS = 1000
AT_ONCE = 50
VERSIONS = 5  # replacements during the run; the third is invalid
INVALID = 2
RELOAD_SECONDS = 0.05
WAIT_SECONDS = 10.0


def company(number: int) -> dict[str, Any]:
    """Version `number` of a pool whose every name says which version it is."""
    return {
        "company": "Acme",
        "developers": [
            {"name": f"Gopher {number}", "skills": ["Go", "Kubernetes"]},
            {"name": f"Pythonista {number}", "skills": ["Python", "Go"]},
            {"name": f"Rustacean {number}", "skills": ["Rust"], "available_from": "2027-01-01"},
        ],
    }


def replace_file(path: Path, text: str) -> None:
    """As an operator's tool should: a new file renamed over the old one."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_changed_file_is_swapped_in_and_an_invalid_one_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "pool.json"
    replace_file(path, json.dumps(company(0)))
    source = FileSource(path)
    fetched = source.fetch(None)
    assert fetched is not None
    first = Pool.model_validate(company(0))
    live = LivePool(LocalRecommender(first), source, fetched.tag, LocalRecommender)
    assert live.check() is False  # unchanged: not even read
    time.sleep(0.01)
    replace_file(path, json.dumps(company(1)))
    assert live.check() is True
    assert live.current.pool.developers[0].name == "Gopher 1"
    with caplog.at_level(logging.ERROR):
        replace_file(path, json.dumps({"company": "Acme", "developers": [{"name": "Nobody"}]}))
        assert live.check() is False
        assert live.check() is False
    assert live.current.pool.developers[0].name == "Gopher 1"
    assert live.problem is not None
    assert "developers[0] (Nobody).skills: Field required" in live.problem
    assert caplog.text.count("pool not replaced") == 1  # logged once
    replace_file(path, json.dumps(company(2)))
    assert live.check() is True
    assert live.problem is None
    path.unlink()
    assert live.check() is False
    assert "cannot be read" in (live.problem or "")
    assert live.current.pool.developers[0].name == "Gopher 2"


def test_a_live_pool_without_a_source_never_changes() -> None:
    live = LivePool(LocalRecommender(Pool.model_validate(company(0))))
    assert live.check() is False
    assert live.description == "given at startup"


def test_reload_under_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000 requests, 50 at a time, while the pool file is replaced five times (one version invalid): every
    request answers, from exactly one pool version, never the invalid one."""
    path = tmp_path / "pool.json"
    replace_file(path, json.dumps(company(0)))
    monkeypatch.setenv("BESTDEV_POOL", str(path))
    monkeypatch.setenv("BESTDEV_POOL_CHECK_SECONDS", str(RELOAD_SECONDS))
    versions = {Pool.model_validate(company(0)).version: 0}
    with serve_in_thread(create_app(load_settings())) as url:
        answers, problems = asyncio.run(_load(url, path, versions))
    assert len(answers) == REQUESTS
    assert all(status == 200 for status, _ in answers), {status for status, _ in answers}
    served = set()
    for _, body in answers:
        number = versions[body["pool_version"]]  # a valid version's hash: never the invalid one's
        served.add(number)
        names = [item["name"] for item in body["recommendations"]]
        assert names, body
        assert all(name.endswith(f" {number}") for name in names), (number, names)  # one pool, whole
    assert INVALID not in served
    assert served == {0, 1, 3, 4, 5}  # the load ran across every replacement
    assert any("not valid JSON" in problem for problem in problems)  # seen on /api/health meanwhile


async def _load(url: str, path: Path, versions: dict[str, int]) -> tuple[list[tuple[int, Any]], list[str]]:
    answers: list[tuple[int, Any]] = []
    problems: list[str] = []
    limit = asyncio.Semaphore(AT_ONCE)
    marks = {number * REQUESTS // (VERSIONS + 1): asyncio.Event() for number in range(1, VERSIONS + 1)}
    async with httpx2.AsyncClient(base_url=url, timeout=30) as client:

        async def one(number: int) -> None:
            async with limit:
                body = {"description": "A Go service on Kubernetes", "top_k": 2, "start": "2027-02-01"}
                response = await client.post("/api/recommend", json=body)
                answers.append((response.status_code, response.json()))
                if len(answers) in marks:  # replacements are spread over the run
                    marks[len(answers)].set()

        async def replace() -> None:
            for number, mark in enumerate(marks.values(), 1):
                await mark.wait()
                if number == INVALID:
                    replace_file(path, '{"company": "Acme", "developers": [{"name": "Half"')
                else:
                    versions[Pool.model_validate(company(number)).version] = number
                    replace_file(path, json.dumps(company(number)))
                deadline = time.monotonic() + WAIT_SECONDS
                while time.monotonic() < deadline:  # the reload is seen before the next replacement
                    health = (await client.get("/api/health")).json()["pool"]
                    if number == INVALID and health["problem"]:
                        problems.append(health["problem"])
                        break
                    if number != INVALID and versions.get(health["version"]) == number:
                        break
                    await asyncio.sleep(RELOAD_SECONDS)

        await asyncio.gather(replace(), *(one(number) for number in range(REQUESTS)))
    return answers, problems
