"""HTTP routes: parse, call the recommender, serialise."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse

from bestdev.api.errors import documented_errors
from bestdev.api.principal import PRINCIPAL_HEADER, read_principal
from bestdev.api.schemas import (
    CallerResponse,
    DriftHealth,
    FeedbackCreated,
    FeedbackRequest,
    HealthResponse,
    ModelHealth,
    PoolDeveloper,
    PoolHealth,
    PoolResponse,
    RecommendRequest,
    RecommendResponse,
    TeamRequest,
    TeamResponse,
)
from bestdev.api.state import AppState, app_state
from bestdev.feedback import capture
from bestdev.feedback.errors import StoreUnavailable

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("bestdev") / "api" / "static"))

_ERRORS = documented_errors("body", "model")
_FEEDBACK_ERRORS = documented_errors("body", "feedback")


def add_routes(app: FastAPI) -> None:
    """The API and the page, on the app itself: an included router would build every route a second time,
    lazily, inside the first request that reaches it."""
    app.post("/api/recommend", response_model=RecommendResponse, responses=_ERRORS)(recommend)
    app.post("/api/team", response_model=TeamResponse, responses=_ERRORS)(team)
    app.post("/api/feedback", status_code=201, response_model=FeedbackCreated, responses=_FEEDBACK_ERRORS)(feedback)
    app.get("/api/pool", response_model=PoolResponse)(pool)
    app.get("/api/me", response_model=CallerResponse)(me)
    app.get("/api/health", response_model=HealthResponse)(health)
    app.head("/api/health", include_in_schema=False)(health)  # load balancer probes (Azure Front Door's default)
    app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)(index)  # HEAD: uptime monitors


async def recommend(body: RecommendRequest, request: Request) -> RecommendResponse:
    """Which developers in the pool fit the described project, best first, and why."""
    state = app_state(request)
    snapshot = state.live.current  # one pool version for the whole request
    _log_call(state, f"recommend top_k={body.top_k}", body.description)
    state.retirement.warn_if_due()
    state.drift.warn_if_due(snapshot.pool)
    outcome = await snapshot.recommender.recommend(body.description, body.top_k, body.start)
    _log_answer(outcome.backend, len(outcome.recommendations), outcome.fallback_reason)
    if state.answers is not None:  # kept in a task of its own: the answer never waits for the store
        state.answers.keep(request.state.request_id, body.description, outcome)
    return RecommendResponse.from_outcome(outcome, request.state.request_id, snapshot.version)


async def team(body: TeamRequest, request: Request) -> TeamResponse:
    """The smallest team from the pool covering the most must-haves, then the most of the rest, and what nobody
    covers."""
    state = app_state(request)
    snapshot = state.live.current
    _log_call(state, f"team max_size={body.max_size}", body.description)
    state.retirement.warn_if_due()
    state.drift.warn_if_due(snapshot.pool)
    staffed = await snapshot.recommender.team(body.description, body.max_size, body.start)
    return TeamResponse.from_team(staffed, request.state.request_id, snapshot.version)


async def me(request: Request) -> CallerResponse:
    """Who is signed in, as App Service authentication passed the caller on (the page shows it beside its sign-out
    link). Read only behind sign-in (BESTDEV_REQUIRED_ROLE): elsewhere the header could come from anyone."""
    if not app_state(request).settings.required_role:
        return CallerResponse(signed_in=False)
    principal = read_principal(request.headers.get(PRINCIPAL_HEADER))
    return CallerResponse(signed_in=principal is not None, name=principal.name if principal else None)


async def feedback(body: FeedbackRequest, request: Request) -> FeedbackCreated:
    """A person's verdict on a developer for an answer /api/recommend gave: send the request_id and the same
    description back. "chosen" may name anyone in the pool; "good" and "wrong" name someone in the answer."""
    state = app_state(request)
    keeper = state.answers
    if keeper is None:
        raise StoreUnavailable("the feedback store is not ready yet")
    await keeper.settled(body.request_id)
    digest = _digest(body.description)
    log.info("feedback %s for request %s, description sha256 %s", body.verdict, body.request_id, digest)
    submission = capture.Submission(body.request_id, body.description, body.developer, body.verdict, body.note)
    decision = await asyncio.to_thread(
        capture.decide, keeper.store, state.live.current.pool, submission, state.settings.feedback_days
    )
    return FeedbackCreated(
        id=decision.id, request_id=decision.request_id, developer=decision.developer, verdict=decision.verdict
    )


async def pool(request: Request) -> PoolResponse:
    """Everyone in the pool (names, titles and when they are free), for picking who was staffed."""
    developers = app_state(request).live.current.pool
    return PoolResponse(
        company=developers.company,
        version=developers.version,
        developers=[
            PoolDeveloper(
                name=item.name, title=item.title, available_from=item.available_from, allocation=item.allocation
            )
            for item in developers.developers
        ],
    )


async def health(request: Request) -> HealthResponse:
    """Liveness, the backend in use, the pool's size and whether calls to the model go out (200 either way: the
    app answers locally meanwhile)."""
    state = app_state(request)
    snapshot, retirement = state.live.current, state.retirement
    recommender = snapshot.recommender
    current = recommender.model_status()
    model = None
    if current is not None:
        model = ModelHealth(state=current.state, retry_after=current.retry_after, reason=current.reason)
    retirement.warn_if_due()
    return HealthResponse(
        status="ok",
        backend=recommender.backend,
        developers=len(snapshot.pool.developers),
        pool=PoolHealth(
            company=snapshot.pool.company,
            developers=len(snapshot.pool.developers),
            version=snapshot.version,
            loaded_at=snapshot.loaded_at,
            source=state.live.description,
            problem=state.live.problem,
            drift=DriftHealth.of(state.drift.of(snapshot.pool)),
        ),
        model=model,
        model_retires=retirement.retires,
    )


def _log_call(state: AppState, call: str, description: str) -> None:
    """One line per call: the description's text only when BESTDEV_LOG_DESCRIPTIONS allows, else its size and hash."""
    if state.settings.log_descriptions:
        log.info("%s description=%r", call, description)
    else:
        log.info("%s description: %d chars, sha256 %s", call, len(description), _digest(description))


def _log_answer(backend: str, picks: int, fallback: str | None) -> None:
    """One line per answer, for the operators' queries: which backend answered, and why it fell back."""
    if fallback:
        log.info("answered by %s with %d picks; fallback: %s", backend, picks, fallback)
    else:
        log.info("answered by %s with %d picks", backend, picks)


def _digest(description: str) -> str:
    """A short hash that tells two descriptions apart in the logs without showing them."""
    return hashlib.sha256(description.encode("utf-8", "surrogatepass")).hexdigest()[:12]


async def index() -> FileResponse:
    # Asked for again on every visit (an unchanged page costs a 304): a signed-out browser is sent to sign in,
    # never shown the page from its cache.
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers={"cache-control": "no-cache"})
