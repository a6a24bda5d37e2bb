"""Chooses the recommender the settings ask for: the fine-tuned model when configured, else the local one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bestdev.pool import Pool
from bestdev.recommend.base import Recommender
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


def build_recommender(settings: Settings, pool: Pool, credential: TokenCredential | None = None) -> Recommender:
    local = LocalRecommender(pool)
    if not settings.model_configured:
        return local
    from bestdev.model.client import build_client
    from bestdev.model.fine_tuned import FineTunedModel
    from bestdev.recommend.fine_tuned import FineTunedRecommender

    model = FineTunedModel(build_client(settings, credential), settings)
    return FineTunedRecommender(model, local, settings.fallback)
