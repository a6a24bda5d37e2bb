"""How a served model is asked: as trained (the messages as they come), or, for an untuned base model, with the
pool and a few worked examples placed before the question (few-shot), as a team would first try a plain model."""

from __future__ import annotations

from collections.abc import Sequence

from bestdev import template
from bestdev.pool import Pool


class AsTrained:
    """A fine-tuned model already knows the pool and the answer's shape: nothing is added."""

    description = "as trained"

    def messages(self, messages: Sequence[template.ChatMessage]) -> list[template.ChatMessage]:
        return list(messages)

    def prompt(self, prompt: str) -> str:
        return prompt


class FewShot:
    """The pool context (who is available, with their skills) and `examples` answered conversations go first."""

    def __init__(self, pool: Pool, examples: Sequence[Sequence[template.ChatMessage]]) -> None:
        listing = [(developer.name, list(developer.skills)) for developer in pool.developers]
        context = template.chat_messages(
            template.pool_context_prompt(pool.company, listing), template.pool_context_completion()
        )
        shots = [turn for example in examples for turn in example if turn["role"] != "system"]
        self.preamble: list[template.ChatMessage] = [*context, *shots]
        self.description = f"few-shot: the pool of {len(pool.developers)} and {len(examples)} examples"

    def messages(self, messages: Sequence[template.ChatMessage]) -> list[template.ChatMessage]:
        """The preamble, then the conversation without its own system message (the preamble has one)."""
        return [*self.preamble, *(turn for turn in messages if turn["role"] != "system")]

    def prompt(self, prompt: str) -> str:
        """For the completions API: the same turns written as prompt-completion text."""
        turns = [turn["content"] for turn in self.preamble if turn["role"] != "system"]
        return "".join(turns) + prompt


Prompting = AsTrained | FewShot
