"""The offline fallback for `dataset check`: base models Azure OpenAI fine-tunes, their tokenizer, example size
limit and training price, as Microsoft's fine-tuning model table listed them on TABLE_CHECKED.

Which models an account can fine-tune right now, and until when, is the service's answer (`bestdev finetune
models`, and `finetune start` asks before uploading anything); this table only sizes and prices a dataset offline.
Prices are OpenAI's list prices in USD per 1M training tokens; Azure's depend on region and training type, so
`dataset check --price-per-million` overrides them. Every current model trains on chat data: the
prompt/completion trainers (davinci-002, babbage-002) were retired on 27 January 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DataFormat = Literal["prompt-completion", "chat"]
TABLE_CHECKED = "2026-12-01"


@dataclass(frozen=True)
class FineTunable:
    name: str
    version: str
    data_format: DataFormat
    encoding: str
    max_tokens_per_example: int
    usd_per_million_training_tokens: float

    @property
    def model_id(self) -> str:
        """The id Azure lists and fine-tunes, e.g. gpt-4.1-mini-2025-04-14."""
        return f"{self.name}-{self.version}"


FINE_TUNABLE: dict[str, FineTunable] = {
    model.name: model
    for model in (
        FineTunable("gpt-4.1", "2025-04-14", "chat", "o200k_base", 65_536, 25.00),
        FineTunable("gpt-4.1-mini", "2025-04-14", "chat", "o200k_base", 65_536, 5.00),
        FineTunable("gpt-4.1-nano", "2025-04-14", "chat", "o200k_base", 32_768, 1.50),
        FineTunable("gpt-4o", "2024-08-06", "chat", "o200k_base", 65_536, 25.00),
        FineTunable("gpt-4o-mini", "2024-07-18", "chat", "o200k_base", 65_536, 3.00),
    )
}
# No current base model trains on prompt/completion data: such a file is sized as if it were chat data.
DEFAULT_MODEL: dict[DataFormat, str] = {"chat": "gpt-4.1-mini", "prompt-completion": "gpt-4.1-mini"}


def fine_tunable(name: str) -> FineTunable:
    """The table's entry for a model name, or for a full model id (gpt-4.1-mini-2025-04-14)."""
    for model in FINE_TUNABLE.values():
        if name in {model.name, model.model_id}:
            return model
    raise ValueError(f"unknown base model {name!r} (known: {', '.join(FINE_TUNABLE)})")
