"""`bestdev serve` logs through a queue: the event loop only enqueues, a background thread writes stderr."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import logging
from bestdev.api.request_context import install_request_id_in_logs, request_id
from bestdev.commands.serve import _log_off_the_event_loop

install_request_id_in_logs()
writer = _log_off_the_event_loop("INFO")
root = logging.getLogger()
assert [type(handler).__name__ for handler in root.handlers] == ["QueueHandler"], root.handlers
assert logging.getLogger("httpx2").getEffectiveLevel() == logging.WARNING  # no line per model call at INFO
request_id.set("req-42")
logging.getLogger("bestdev.api.routes").info("recommend top_k=%d", 3)
logging.getLogger("bestdev.api.routes").debug("below the level")
writer.stop()
"""


def test_records_reach_stderr_formatted_with_the_request_id() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].endswith("INFO bestdev.api.routes [req-42] recommend top_k=3")
