from __future__ import annotations

import pytest

from bestdev.dataset.cost import default_epochs, estimate


@pytest.mark.parametrize(("examples", "epochs"), [(5, 20), (10, 10), (34, 3), (300, 3), (10_000, 2), (100_000, 1)])
def test_default_epochs_keep_examples_times_epochs_in_range(examples: int, epochs: int) -> None:
    assert default_epochs(examples) == epochs


def test_billed_tokens_are_capped_per_example_and_multiplied_by_epochs() -> None:
    cost = estimate([100, 200, 5_000], max_tokens=1_000, usd_per_million=2.0, epochs=4)
    assert cost.total_tokens == 5_300
    assert cost.billed_tokens_per_epoch == 1_300
    assert cost.billed_tokens == 5_200
    assert cost.usd == pytest.approx(5_200 * 2.0 / 1_000_000)


def test_epochs_default_to_the_services_choice() -> None:
    assert estimate([10] * 50, max_tokens=100, usd_per_million=1.0, epochs=None).epochs == 3
