"""`bestdev serve` settles the heap once the app has started (create_app's on_started): startup objects frozen,
fewer young collections."""

from __future__ import annotations

import subprocess
import sys

# In a child process: freezing the heap and changing the thresholds would outlive the test in this one.
SCRIPT = """
import gc
from fastapi.testclient import TestClient
from bestdev.api.app import create_app
from bestdev.api.startup import YOUNG_THRESHOLD, settle_heap
from bestdev.settings import load_settings

app = create_app(load_settings(), on_started=settle_heap)
assert gc.get_freeze_count() == 0 and gc.get_threshold()[0] != YOUNG_THRESHOLD  # nothing happens before startup
with TestClient(app) as client:
    assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()  # the modules, the app, the pool
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    answer = client.get("/api/health")
    assert answer.status_code == 200 and answer.json()["developers"] > 0, answer.text
"""


def test_startup_freezes_what_it_built_and_the_app_still_answers() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
