"""Azure Functions entry point: the BestDev ASGI app behind function keys."""

import azure.functions as func

from bestdev.api.app import create_started_app
from bestdev.api.request_context import tag_host_log_lines

tag_host_log_lines()  # the worker's log handler is in place by now: each trace gets its request id
api = create_started_app()
app = func.AsgiFunctionApp(app=api, http_auth_level=func.AuthLevel.FUNCTION)
