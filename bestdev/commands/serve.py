"""`bestdev serve`: the API and the page on uvicorn, as the Functions host would serve them."""

from __future__ import annotations

import argparse
import logging
import queue
import sys
from logging.handlers import QueueHandler, QueueListener

from bestdev.commands.common import LOCAL_SETTINGS, Subcommands
from bestdev.commands.extras import needs

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def register(commands: Subcommands) -> None:
    serve = commands.add_parser("serve", help="serve the API and the page (uvicorn, like the Functions host)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only; no keys)"
    )
    serve.add_argument("--port", type=int, default=7071, help="port to listen on (default 7071, as the Functions host)")
    serve.set_defaults(command=_serve)


@needs("serve", "serve")
def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bestdev.api.app import create_app
    from bestdev.api.request_context import install_request_id_in_logs
    from bestdev.api.startup import settle_heap
    from bestdev.settings import load_settings

    settings = load_settings(local_settings=LOCAL_SETTINGS)
    install_request_id_in_logs()
    writer = _log_off_the_event_loop(settings.log_level)
    backend = "the fine-tuned model" if settings.model_configured else "the embedded local recommender"
    print(f"BestDev on http://{args.host}:{args.port} answering from {backend}", file=sys.stderr)
    app = create_app(settings, on_started=settle_heap)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    finally:
        writer.stop()
    return 0


def _log_off_the_event_loop(level: str) -> QueueListener:
    """Requests only queue their log records; a background thread formats and writes them to stderr,
    so a slow terminal or pipe never stalls the event loop."""
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    output = logging.StreamHandler()
    output.setFormatter(logging.Formatter(LOG_FORMAT))
    # The queue carries each record with its message merged (and nothing else formatted); the writer formats.
    logging.basicConfig(level=level, format="%(message)s", handlers=[QueueHandler(records)])
    if level != "DEBUG":
        # The HTTP client logs every model call at INFO, doubling the route's own line per request (and, under
        # load, its cost); keep its lines for DEBUG. Model failures are logged by the app as warnings.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
    writer = QueueListener(records, output)
    writer.start()
    return writer
