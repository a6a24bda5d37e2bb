"""What the routes work with, set once the app has started: one frozen, typed object instead of `app.state`'s Any."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI, Request

from bestdev.api.live_pool import LivePool
from bestdev.feedback.keeper import AnswerKeeper
from bestdev.lifecycle.retirement import RetirementWatch
from bestdev.pool_source.drift import DriftWatch
from bestdev.settings import Settings


@dataclass(frozen=True)
class AppState:
    settings: Settings
    live: LivePool  # each request takes live.current once: one pool version from start to end
    retirement: RetirementWatch
    answers: AnswerKeeper | None = None  # None during the startup's rehearsal: its answers are not kept
    drift: DriftWatch = field(default_factory=lambda: DriftWatch(None, 1.0))  # the model against the live pool


class NotStarted(RuntimeError):
    """A request reached the app before its startup installed the state (a host that skipped the lifespan)."""


def install_state(app: FastAPI, state: AppState) -> None:
    app.state.bestdev = state


def app_state(request: Request) -> AppState:
    state = getattr(request.app.state, "bestdev", None)
    if not isinstance(state, AppState):
        raise NotStarted("the app has not started: its lifespan must run before requests")
    return state
