"""Azure Functions entry point: the BestDev ASGI app (one HTTP function for every path), the daily keep-alive timer
and the feedback retention timer. The HTTP function is anonymous behind App Service authentication, which is then the
gate (BESTDEV_FUNCTION_AUTH_LEVEL=anonymous); otherwise it needs a function key (service callers only).

Loading this module reads the settings and the pool (either fails here, naming what is wrong); the web app, the
model client and the recommender are built in a background thread from then on (bestdev.api.background), and the
timers import what they use when they run."""

import azure.functions as func

from bestdev.api.background import create_started_app
from bestdev.api.request_context import tag_host_log_lines
from bestdev.feedback.retention import PRUNE_SCHEDULE, prune_expired
from bestdev.model.credential import SharedCredential
from bestdev.settings import load_settings

tag_host_log_lines()  # the worker's log handler is in place by now: each trace gets its request id
settings = load_settings()
credential = SharedCredential(settings)  # the process's one Azure credential: the app and both timers use it
AUTH_LEVELS = {"anonymous": func.AuthLevel.ANONYMOUS, "function": func.AuthLevel.FUNCTION}
app = func.AsgiFunctionApp(
    app=create_started_app(settings, credential), http_auth_level=AUTH_LEVELS[settings.function_auth_level]
)


@app.timer_trigger(schedule="0 30 5 * * *", arg_name="timer", run_on_startup=False, use_monitor=True)
async def keep_alive(timer: func.TimerRequest) -> None:
    """Daily: one small call to the fine-tuned deployment if it had none for BESTDEV_KEEP_ALIVE_DAYS."""
    from bestdev.lifecycle.keep_alive import run_keep_alive

    await run_keep_alive(settings, credential)


@app.timer_trigger(schedule=PRUNE_SCHEDULE, arg_name="timer", run_on_startup=False, use_monitor=True)
def prune_feedback(timer: func.TimerRequest) -> None:
    prune_expired(settings, credential)
