"""One request through the whole app before the first real one, answered without the model.

A first request pays for work done once per process: FastAPI reads the endpoint's source to describe it in
errors, pydantic and the JSON encoder take their first paths, the middleware stack is built. A rehearsal at
startup does that work then. It runs on a private event loop in the thread building the recommender, while
no real request can be served (the app's startup waits for that thread), and the local recommender answers
it, so it never reaches the model. Its log lines carry the request id "warm-up".
"""

from __future__ import annotations

import asyncio
import logging

import httpx2
from fastapi import FastAPI

from bestdev.recommend.base import Recommender

log = logging.getLogger(__name__)

REHEARSAL_URL = "http://warm-up.invalid"
REHEARSAL_BODY = {"description": "A React Native app with Firebase", "top_k": 3}
REHEARSAL_TEAM = {"description": "A React Native app with Firebase", "max_size": 4}


def rehearse(app: FastAPI, stand_in: Recommender) -> None:
    """Sends the rehearsal request with `stand_in` as the app's recommender (the startup then installs the
    real one). A failed rehearsal only costs the warm-up, so it is logged, not raised."""
    app.state.recommender = stand_in
    try:
        status = asyncio.run(_post(app))
    except Exception as error:
        log.warning("app warm-up failed (the first request will be slower): %r", error)
        return
    if status != 200:
        log.warning("app warm-up got HTTP %d (the first request will be slower)", status)


async def _post(app: FastAPI) -> int:
    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx2.AsyncClient(transport=transport, base_url=REHEARSAL_URL) as client:
        response = await client.post("/api/recommend", json=REHEARSAL_BODY, headers={"X-Request-ID": "warm-up"})
        if response.status_code != 200:
            return response.status_code
        team = await client.post("/api/team", json=REHEARSAL_TEAM, headers={"X-Request-ID": "warm-up"})
    return team.status_code
