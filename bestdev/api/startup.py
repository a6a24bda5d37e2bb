"""Everything BestDev does before it serves and after it stops, in one place.

Before serving, in a worker thread (`prepare`; the app's lifespan runs it, or background.create_started_app's
thread does):
1. the recommender the settings ask for is built: the skill vocabulary's index, the matcher, the model client;
2. it warms up (`Recommender.warm_up`): a fine-tuned model fetches its first token and sends one call through the
   SDK to a transport that answers in memory, so the SDK's first-call work (imports, response types) is done;
3. one rehearsal request to each POST route goes through the whole app, answered by the recommender's stand-in
   (never the model), so FastAPI, pydantic and the middleware take their first paths. Its log lines carry the
   request id "warm-up". A failed warm-up or rehearsal only costs the first request some speed: logged, not raised.
Then, in the lifespan: the feedback store opens, the model's retirement date is looked up in the background, and
`on_started` runs (`bestdev serve` settles the heap with `settle_heap`).
After serving: the lookup is cancelled, the recommender closes its client, kept answers are written, the store
closes, and the process's one Azure credential (shared by the model client, the feedback table, the pool's
storage and the lookup; see model.credential) closes last.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx2
from fastapi import FastAPI

from bestdev.api.live_pool import LivePool
from bestdev.api.state import AppState, install_state
from bestdev.feedback.factory import build_store
from bestdev.feedback.keeper import AnswerKeeper
from bestdev.feedback.store import FeedbackStore
from bestdev.lifecycle.retirement import RetirementWatch
from bestdev.model.credential import SharedCredential
from bestdev.pool import Pool, PoolError
from bestdev.pool_source.drift import DriftWatch, load_trained
from bestdev.pool_source.open import Opened, open_pool, pool_source
from bestdev.recommend.base import Recommender
from bestdev.recommend.factory import build_recommender, rebuild_recommender
from bestdev.settings import Settings

log = logging.getLogger(__name__)

REHEARSAL_URL = "http://warm-up.invalid"
REHEARSAL_BODY = {"description": "A React Native app with Firebase", "top_k": 3}
REHEARSAL_TEAM = {"description": "A React Native app with Firebase", "max_size": 4}

# Young collections after this many net allocations instead of 700: most of a request's objects are freed by
# reference counting before a collection ever sees them, so the collector walks (and promotes) far fewer.
YOUNG_THRESHOLD = 50_000

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
Prepared = tuple[Recommender, Opened]  # what the background startup hands the lifespan


def lifespan(
    settings: Settings,
    retirement: RetirementWatch,
    *,
    recommender: Recommender | None = None,
    building: Future[Prepared] | None = None,
    on_started: Callable[[], None] | None = None,
    feedback: FeedbackStore | None = None,
    credential: SharedCredential | None = None,
) -> Lifespan:
    """The app's lifespan: a given `recommender` is used as it is (its pool never reloaded); one `building` is
    waited for; otherwise the pool is read and `prepare` builds one. `feedback` is the store (default: the one the
    settings name). `credential` is the process's one Azure credential (default: one of the lifespan's own); it
    closes last."""
    shared = credential or SharedCredential(settings)

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        if recommender is not None:
            live = LivePool(recommender)
        else:
            if building is not None:
                chosen, opened = await asyncio.wrap_future(building)
            else:
                try:
                    opened = await asyncio.to_thread(open_pool, pool_source(settings, shared))
                except PoolError as error:
                    log.error("%s", error)
                    raise
                chosen = await asyncio.to_thread(prepare, app, settings, retirement, opened.pool, shared)
            live = LivePool(chosen, opened.source, opened.tag, lambda pool: rebuild_recommender(chosen, pool))
        pool = live.current.pool
        log.info("pool version %s from %s: %s, %d developers", pool.version, live.description, pool.company,
                 len(pool.developers))  # fmt: skip
        store = feedback or build_store(settings, shared)
        keeper = AnswerKeeper(store)
        trained = await asyncio.to_thread(load_trained, settings, shared) if recommender is None else None
        drift = DriftWatch(trained, settings.pool_drift_share)
        install_state(app, AppState(settings, live, retirement, keeper, drift))
        drift.warn_if_due(pool)
        log.info("feedback kept in %s for %d days", store.description, settings.feedback_days)
        lookup = _learn_retirement(retirement, settings, shared)
        watch = None
        if live.source is not None and settings.pool_check_seconds > 0:
            watch = asyncio.get_running_loop().create_task(live.watch(settings.pool_check_seconds), name="bestdev-pool")
        if on_started is not None:
            on_started()
        try:
            yield
        finally:
            for task in (lookup, watch):
                if task is not None:
                    task.cancel()
            await live.current.recommender.aclose()  # the model client all versions share
            await keeper.drain()
            await asyncio.to_thread(store.close)
            await asyncio.to_thread(shared.close)

    return run


def prepare(
    app: FastAPI, settings: Settings, retirement: RetirementWatch, pool: Pool, credential: SharedCredential
) -> Recommender:
    """Steps 1-3, blocking: for a worker thread (the warm-up and rehearsal run on an event loop of their own)."""
    recommender = build_recommender(settings, pool, credential)

    async def warm() -> None:
        await recommender.warm_up()
        await _rehearse(app, AppState(settings, LivePool(recommender.stand_in), retirement))

    asyncio.run(warm())
    return recommender


def settle_heap() -> None:
    """Once startup is over: collect once, move every surviving object (modules, the app, the pool, the client),
    which lives as long as the process, out of the collector's reach (gc.freeze), and collect young objects less
    often, so that under load the collector does not cost more CPU than the requests' own code."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


async def _rehearse(app: FastAPI, state: AppState) -> None:
    """The rehearsal requests, with `state` (the stand-in, no answers kept) installed for them."""
    install_state(app, state)
    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    headers = {"X-Request-ID": "warm-up"}
    try:
        async with httpx2.AsyncClient(transport=transport, base_url=REHEARSAL_URL) as client:
            for path, body in (("/api/recommend", REHEARSAL_BODY), ("/api/team", REHEARSAL_TEAM)):
                response = await client.post(path, json=body, headers=headers)
                if response.status_code != 200:
                    log.warning("app warm-up got HTTP %d (the first request will be slower)", response.status_code)
                    return
    except Exception as error:
        log.warning("app warm-up failed (the first request will be slower): %r", error)


def _learn_retirement(
    watch: RetirementWatch, settings: Settings, credential: SharedCredential
) -> asyncio.Task[None] | None:
    """In the background, when a fine-tuned model is deployed: when it retires (the models list, one call)."""
    model = settings.fine_tuned_model
    if not model or not settings.model_configured:
        return None

    async def learn() -> None:
        from bestdev.model.client import build_client

        async with build_client(settings, credential) as client:
            await watch.learn(client, model)

    return asyncio.get_running_loop().create_task(learn(), name="bestdev-retirement")
