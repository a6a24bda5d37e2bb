"""The Azure Functions wiring: the real function_app module, driven with func.HttpRequest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import azure.functions as func
import pytest

import function_app
from bestdev.feedback.records import Answer
from bestdev.feedback.sqlite_store import SqliteStore
from bestdev.settings import load_settings

FUNCTIONS = function_app.app.get_functions()  # indexing twice is an error, as in the Functions host
HTTP = [function for function in FUNCTIONS if function.get_bindings()[0].type == "httpTrigger"]
TIMERS = [function for function in FUNCTIONS if function.get_bindings()[0].type == "timerTrigger"]


async def call(method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None) -> func.HttpResponse:
    request = func.HttpRequest(method=method, url=url, headers=headers or {}, body=body)
    handler = HTTP[0].get_user_function()
    return await handler(request, _Context())  # type: ignore[no-any-return]


class _Context:
    invocation_id = "test-invocation"
    function_name = "http_app_func"
    function_directory = "."
    trace_context = None
    retry_context = None
    thread_local_storage = None


def test_the_app_is_one_http_function_at_auth_level_function_and_the_retention_timer() -> None:
    assert len(HTTP) == 1
    assert [timer.get_function_name() for timer in TIMERS] == ["prune_feedback"]
    assert len(FUNCTIONS) == 2
    trigger = HTTP[0].get_bindings()[0]
    assert trigger.auth_level == func.AuthLevel.FUNCTION
    assert trigger.route == "/{*route}"


async def test_recommend_through_the_functions_host_interface() -> None:
    response = await call(
        "POST",
        "http://localhost:7071/api/recommend",
        body=json.dumps({"description": "A React Native app with Firebase"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert json.loads(response.get_body())["recommendations"][0]["name"] == "Chen Wei"


async def test_errors_keep_the_envelope_through_the_functions_host_interface() -> None:
    response = await call("GET", "http://localhost:7071/api/missing")
    assert response.status_code == 404
    assert json.loads(response.get_body())["error"]["code"] == "not_found"


def test_the_retention_timer_runs_daily_and_prunes_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule = TIMERS[0].get_bindings()[0].schedule
    seconds, minutes, hours, *every = schedule.split()
    assert (seconds.isdigit(), minutes.isdigit(), hours.isdigit(), every) == (True, True, True, ["*", "*", "*"])
    store = SqliteStore(tmp_path / "feedback.sqlite3")
    old = datetime.now(UTC) - timedelta(days=31)
    store.remember(Answer("old", "0" * 64, ("Chen Wei",), "local", old))
    store.remember(Answer("new", "0" * 64, ("Chen Wei",), "local", datetime.now(UTC)))
    settings = load_settings(BESTDEV_FEEDBACK_STORE=f"sqlite:///{store.path}")
    monkeypatch.setattr(function_app.api.state, "settings", settings)
    TIMERS[0].get_user_function()(timer=None)
    assert store.answer("old") is None
    assert store.answer("new") is not None
    store.close()
