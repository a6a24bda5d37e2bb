"""The Azure Functions wiring: the real function_app module, driven with func.HttpRequest."""

from __future__ import annotations

import json

import azure.functions as func

import function_app

FUNCTIONS = function_app.app.get_functions()  # indexing twice is an error, as in the Functions host


async def call(method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None) -> func.HttpResponse:
    request = func.HttpRequest(method=method, url=url, headers=headers or {}, body=body)
    handler = FUNCTIONS[0].get_user_function()
    return await handler(request, _Context())  # type: ignore[no-any-return]


class _Context:
    invocation_id = "test-invocation"
    function_name = "http_app_func"
    function_directory = "."
    trace_context = None
    retry_context = None
    thread_local_storage = None


def test_the_app_is_one_http_function_at_auth_level_function_and_one_daily_timer() -> None:
    assert len(FUNCTIONS) == 2
    trigger = FUNCTIONS[0].get_bindings()[0]
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
