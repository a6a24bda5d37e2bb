"""Azure Functions entry point: the BestDev ASGI app behind function keys."""

import azure.functions as func

from bestdev.api.app import create_started_app

app = func.AsgiFunctionApp(app=create_started_app(), http_auth_level=func.AuthLevel.FUNCTION)
