"""What a fine-tuning run on a dataset will bill: tokens per example (capped at the limit) times epochs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The service's default epoch choice: 3 epochs, more for tiny sets and fewer for huge ones, so that
# examples x epochs stays between 100 and 25,000 (within 1 to 25 epochs).
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_EPOCHS = 1
MAX_EPOCHS = 25


def default_epochs(examples: int) -> int:
    if examples <= 0:
        return TARGET_EPOCHS
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


@dataclass(frozen=True)
class TrainingCost:
    total_tokens: int
    billed_tokens_per_epoch: int
    epochs: int
    usd_per_million: float

    @property
    def billed_tokens(self) -> int:
        return self.billed_tokens_per_epoch * self.epochs

    @property
    def usd(self) -> float:
        return self.billed_tokens * self.usd_per_million / 1_000_000


def estimate(token_counts: Sequence[int], max_tokens: int, usd_per_million: float, epochs: int | None) -> TrainingCost:
    """Examples over the limit are truncated by the service, so each bills at most `max_tokens`."""
    return TrainingCost(
        total_tokens=sum(token_counts),
        billed_tokens_per_epoch=sum(min(count, max_tokens) for count in token_counts),
        epochs=epochs if epochs is not None else default_epochs(len(token_counts)),
        usd_per_million=usd_per_million,
    )
