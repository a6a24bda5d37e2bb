"""Training examples from the JSONL `dataset build` writes, tokenized with the model's chat template: the loss
counts only the assistant's answer (the completion, its stop token and the end of the turn)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bestdev import template
from bestdev.local_model.weights import LocalModelError

IGNORED = -100  # the label PyTorch's cross-entropy skips


@dataclass(frozen=True)
class Example:
    input_ids: tuple[int, ...]
    labels: tuple[int, ...]  # IGNORED for the prompt's tokens


def read_conversations(path: Path) -> list[list[template.ChatMessage]]:
    """Each line as chat messages: chat lines as they are, prompt-completion lines in the serving chat form."""
    conversations = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise LocalModelError(f"{path}: cannot be read ({error.strerror or error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
            if "messages" in row:
                messages = [template.ChatMessage(role=m["role"], content=m["content"]) for m in row["messages"]]
            else:
                messages = template.chat_messages(row["prompt"], row["completion"])
        except (json.JSONDecodeError, TypeError, KeyError) as error:
            raise LocalModelError(f"{path}:{number}: not a chat or prompt-completion line ({error})") from None
        if not messages or messages[-1]["role"] != "assistant":
            raise LocalModelError(f"{path}:{number}: the last message must be the assistant's answer")
        conversations.append(messages)
    if not conversations:
        raise LocalModelError(f"{path}: no examples")
    return conversations


def tokenize(conversations: Sequence[Sequence[template.ChatMessage]], tokenizer: Any, max_tokens: int) -> list[Example]:
    """Token ids and labels per conversation; one longer than max_tokens is left out (it would teach nothing)."""
    examples = []
    for messages in conversations:
        whole = _ids(tokenizer, tokenizer.apply_chat_template(list(messages), tokenize=False))
        asked = _ids(
            tokenizer, tokenizer.apply_chat_template(list(messages[:-1]), tokenize=False, add_generation_prompt=True)
        )
        if whole[: len(asked)] != asked:
            raise LocalModelError("the chat template does not end a prompt where its answer starts")
        if len(whole) > max_tokens or len(whole) == len(asked):
            continue
        labels = [IGNORED] * len(asked) + whole[len(asked) :]
        examples.append(Example(tuple(whole), tuple(labels)))
    return examples


def _ids(tokenizer: Any, text: object) -> list[int]:
    return list(tokenizer(str(text), add_special_tokens=False)["input_ids"])
