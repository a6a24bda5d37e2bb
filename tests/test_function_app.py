"""The Azure Functions wiring: the real function_app module, driven with func.HttpRequest."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import azure.functions as func
import pytest

import function_app
from bestdev.feedback.factory import build_store
from bestdev.feedback.records import Answer

FUNCTIONS = function_app.app.get_functions()  # indexing twice is an error, as in the Functions host
HTTP = [function for function in FUNCTIONS if function.get_bindings()[0].type == "httpTrigger"]
TIMERS = [function for function in FUNCTIONS if function.get_bindings()[0].type == "timerTrigger"]
PRUNE = next(timer for timer in TIMERS if timer.get_function_name() == "prune_feedback")


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


def fresh_function_app(monkeypatch: pytest.MonkeyPatch, name: str, **env: str) -> ModuleType:
    """function_app.py loaded anew under other settings, as the Functions host loads it in another deployment."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location(name, Path(function_app.__file__))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_the_http_function_takes_every_path_and_method_of_the_app() -> None:
    trigger = HTTP[0].get_bindings()[0]
    assert trigger.route == "/{*route}"  # with host.json's routePrefix "", the page at / and the API under /api/
    methods = {str(method.value) for method in trigger.methods}
    assert {"GET", "HEAD", "POST", "OPTIONS"} <= methods


def test_function_keys_unless_told_the_platform_is_the_gate() -> None:
    assert function_app.settings.function_auth_level == "function"
    assert HTTP[0].get_bindings()[0].auth_level == func.AuthLevel.FUNCTION


def test_anonymous_behind_app_service_authentication(monkeypatch: pytest.MonkeyPatch) -> None:
    module = fresh_function_app(
        monkeypatch,
        "function_app_behind_easy_auth",
        BESTDEV_FUNCTION_AUTH_LEVEL="anonymous",
        BESTDEV_REQUIRED_ROLE="BestDev.User",
    )
    functions = module.app.get_functions()
    http = [function for function in functions if function.get_bindings()[0].type == "httpTrigger"]
    assert len(http) == 1
    assert http[0].get_bindings()[0].auth_level == func.AuthLevel.ANONYMOUS
    assert http[0].get_bindings()[0].route == "/{*route}"
    assert module.settings.required_role == "BestDev.User"


async def test_behind_easy_auth_the_app_checks_the_role_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    module = fresh_function_app(
        monkeypatch,
        "function_app_checking_roles",
        BESTDEV_FUNCTION_AUTH_LEVEL="anonymous",
        BESTDEV_REQUIRED_ROLE="BestDev.User",
    )
    handler = next(f for f in module.app.get_functions() if f.get_bindings()[0].type == "httpTrigger")
    user = handler.get_user_function()
    without = await user(func.HttpRequest(method="GET", url="http://localhost/api/pool", body=b""), _Context())
    assert without.status_code == 401
    probe = await user(func.HttpRequest(method="GET", url="http://localhost/api/health", body=b""), _Context())
    assert probe.status_code == 200


def test_the_app_is_one_http_function_at_auth_level_function_and_two_daily_timers() -> None:
    assert len(HTTP) == 1
    assert [timer.get_function_name() for timer in TIMERS] == ["keep_alive", "prune_feedback"]
    assert len(FUNCTIONS) == 3
    trigger = HTTP[0].get_bindings()[0]
    assert trigger.auth_level == func.AuthLevel.FUNCTION
    assert trigger.route == "/{*route}"
    timer = FUNCTIONS[1].get_bindings()[0]
    assert timer.type == "timerTrigger"
    assert timer.schedule == "0 30 5 * * *", "once a day, well inside Azure's 15 idle days"


async def test_the_timer_does_nothing_without_a_deployment(caplog) -> None:
    handler = FUNCTIONS[1].get_user_function()
    with caplog.at_level("INFO", logger="bestdev.lifecycle.keep_alive"):
        await handler(None)
    assert "keep-alive is off" in caplog.text


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


def test_the_retention_timer_runs_daily_and_prunes_the_configured_store() -> None:
    schedule = PRUNE.get_bindings()[0].schedule
    seconds, minutes, hours, *every = schedule.split()
    assert (seconds.isdigit(), minutes.isdigit(), hours.isdigit(), every) == (True, True, True, ["*", "*", "*"])
    store = build_store(function_app.settings)  # the store the app itself was configured with
    old = datetime.now(UTC) - timedelta(days=31)
    store.remember(Answer("timer-old", "0" * 64, ("Chen Wei",), "local", old))
    store.remember(Answer("timer-new", "0" * 64, ("Chen Wei",), "local", datetime.now(UTC)))
    try:
        PRUNE.get_user_function()(timer=None)
        assert store.answer("timer-old") is None
        assert store.answer("timer-new") is not None
    finally:
        store.close()


async def test_feedback_round_trips_through_the_functions_host_interface() -> None:
    """The host's ASGI adapter finishes the app's work (keeping the answer) before it returns the response."""
    description = "A React Native app with Firebase for a bakery"
    answer = await call(
        "POST",
        "http://localhost:7071/api/recommend",
        body=json.dumps({"description": description}).encode(),
        headers={"Content-Type": "application/json"},
    )
    request_id = json.loads(answer.get_body())["request_id"]
    feedback = {"request_id": request_id, "description": description, "developer": "Chen Wei", "verdict": "good"}
    response = await call(
        "POST",
        "http://localhost:7071/api/feedback",
        body=json.dumps(feedback).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.get_body()
    assert json.loads(response.get_body())["developer"] == "Chen Wei"
