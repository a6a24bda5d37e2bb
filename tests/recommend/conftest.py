"""Fixtures for the recommenders: a fine-tuned recommender wired to the fake model over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bestdev.pool import Pool
from bestdev.recommend.factory import build_recommender
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.settings import Settings


@pytest.fixture
async def recommender(model_settings: Callable[..., Settings], pool: Pool) -> AsyncIterator[Callable[..., Any]]:
    made: list[Any] = []

    def make(credential: Any = None, **overrides: Any) -> FineTunedRecommender:
        built = build_recommender(model_settings(**overrides), pool, credential=credential)
        assert isinstance(built, FineTunedRecommender)
        made.append(built)
        return built

    yield make
    for built in made:
        await built.aclose()
