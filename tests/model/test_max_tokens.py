"""max_tokens is sized from what the model is trained to answer: every completion of the dataset that
`bestdev dataset build` makes from the bundled pool fits, with room to spare."""

from __future__ import annotations

import pytest

from bestdev.dataset.build import build
from bestdev.dataset.tokens import count_text
from bestdev.pool import Pool
from bestdev.settings import load_settings

MARGIN = 1.4  # the limit holds the longest completion seen and 40 % more


@pytest.mark.parametrize("seed", [0, 1])
def test_the_default_max_tokens_holds_every_training_completion_with_a_margin(pool: Pool, seed: int) -> None:
    dataset = build(pool, examples=600, seed=seed)
    lengths = [count_text(example.completion) for example in [*dataset.training, *dataset.validation]]
    limit = load_settings().model_max_tokens
    assert max(lengths) * MARGIN <= limit
    assert limit <= 2 * max(lengths)  # and not much more: Azure counts it against the tokens per minute
