"""Chooses the recommender the settings ask for: the fine-tuned model when configured, else the local one.

Importing this module loads the model client's modules (and so the openai SDK); building a recommender is
startup work that loads the skill vocabulary and matcher itself, so a host can run it in a background thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bestdev.model.client import build_client
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.pool import Pool
from bestdev.recommend.base import Recommender
from bestdev.settings import Settings

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


def build_recommender(settings: Settings, pool: Pool, credential: TokenCredential | None = None) -> Recommender:
    from bestdev.recommend.fine_tuned import FineTunedRecommender
    from bestdev.recommend.local import LocalRecommender

    local = LocalRecommender(pool)
    if not settings.model_configured:
        return local
    model = FineTunedModel(build_client(settings, credential), settings)
    return FineTunedRecommender(model, local, settings.fallback, settings.model_backend)


def rebuild_recommender(current: Recommender, pool: Pool) -> Recommender:
    """A recommender like `current` for another pool: a new local ranking, the same model client (not closed, not
    reopened), so a new pool version costs no connection."""
    from bestdev.recommend.fine_tuned import FineTunedRecommender
    from bestdev.recommend.local import LocalRecommender

    local = LocalRecommender(pool)
    if isinstance(current, FineTunedRecommender):
        return FineTunedRecommender(current.model, local, current.fallback, current.model_backend)
    return local
