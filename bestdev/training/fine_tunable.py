"""The base models a BestDev dataset can fine-tune: their data format, tokenizer, example size limit and price.

Prices are the published list prices in USD per 1M training tokens when this table was written; Azure's
price depends on region and deployment type, so `dataset check --price-per-million` overrides them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DataFormat = Literal["prompt-completion", "chat"]


@dataclass(frozen=True)
class FineTunable:
    name: str
    data_format: DataFormat
    encoding: str
    max_tokens_per_example: int
    usd_per_million_training_tokens: float


FINE_TUNABLE: dict[str, FineTunable] = {
    model.name: model
    for model in (
        FineTunable("gpt-4o-mini", "chat", "o200k_base", 65_536, 3.00),
        FineTunable("gpt-4o", "chat", "o200k_base", 65_536, 25.00),
        FineTunable("gpt-35-turbo", "chat", "cl100k_base", 16_385, 8.00),
        FineTunable("davinci-002", "prompt-completion", "cl100k_base", 16_384, 6.00),
        FineTunable("babbage-002", "prompt-completion", "cl100k_base", 16_384, 0.40),
    )
}
DEFAULT_MODEL: dict[DataFormat, str] = {"chat": "gpt-4o-mini", "prompt-completion": "davinci-002"}


def fine_tunable(name: str) -> FineTunable:
    try:
        return FINE_TUNABLE[name]
    except KeyError:
        raise ValueError(f"unknown base model {name!r} (known: {', '.join(FINE_TUNABLE)})") from None
