"""The garbage collector, tuned for a long-lived server once it has started.

Everything alive after startup (modules, the app, the pool, the model client) lives as long as the process, yet
each full collection would walk all of it again; and under load, with many requests in flight, the default
thresholds collect so often that the collector costs more CPU than the requests' own code.
"""

from __future__ import annotations

import gc

# Young collections after this many net allocations instead of 700: most of a request's objects are freed by
# reference counting before a collection ever sees them, so the collector walks (and promotes) far fewer.
YOUNG_THRESHOLD = 50_000


def settle_heap() -> None:
    """Collect once, move every surviving object out of the collector's reach (gc.freeze), and collect less
    often from now on. Call it once startup is over, before the first request."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
