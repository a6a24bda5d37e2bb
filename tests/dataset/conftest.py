"""Fixtures for the training tests: the sample pool and datasets built from it, as JSONL lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bestdev.dataset.build import Dataset, build
from bestdev.dataset.fine_tunable import DataFormat
from bestdev.pool import Pool
from tests.dataset.jsonl_lines import MATCH_LINE, as_lines

CHECK_SET_EXAMPLES = 120


@pytest.fixture(scope="session")
def dataset(pool: Pool) -> Dataset:
    """The default build (300 examples, seed 0)."""
    return build(pool)


@pytest.fixture(scope="session")
def check_set(pool: Pool) -> Dataset:
    """A smaller build with more than the recommended minimum of examples in training."""
    return build(pool, examples=CHECK_SET_EXAMPLES, validation_fraction=0.1, seed=7)


@pytest.fixture
def lines_of(check_set: Dataset) -> Callable[[DataFormat], list[str]]:
    """Fresh, valid training lines of the check set in a format, for a test to break; a match at MATCH_LINE."""
    examples = list(check_set.training)
    match = next(index for index, example in enumerate(examples) if index >= MATCH_LINE and example.kind == "match")
    examples[MATCH_LINE], examples[match] = examples[match], examples[MATCH_LINE]
    return lambda data_format: as_lines(examples, data_format)
