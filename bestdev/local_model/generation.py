"""Greedy (or sampled) generation with stop sequences and token counts: what one completion request asks."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bestdev import template
from bestdev.local_model.weights import Loaded


@dataclass(frozen=True)
class Generated:
    text: str  # up to, not including, the first stop sequence
    finish_reason: Literal["stop", "length"]
    prompt_tokens: int
    completion_tokens: int
    seconds: float


@dataclass
class Usage:
    """What a generator has served so far (the comparison reads tokens per answer from it)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


class Generator:
    """One model, one generation at a time (a second request waits: two would only share the same cores)."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.name = loaded.name
        self.usage = Usage()
        self._lock = threading.Lock()

    def chat(
        self, messages: Sequence[template.ChatMessage], max_tokens: int, stop: Sequence[str], temperature: float
    ) -> Generated:
        text = self.loaded.tokenizer.apply_chat_template(list(messages), tokenize=False, add_generation_prompt=True)
        return self.complete(str(text), max_tokens, stop, temperature)

    def complete(self, prompt: str, max_tokens: int, stop: Sequence[str], temperature: float) -> Generated:
        import torch

        tokenizer, model = self.loaded.tokenizer, self.loaded.model
        with self._lock, torch.no_grad():
            started = time.perf_counter()
            ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")
            model.eval()
            sampling = {"do_sample": True, "temperature": temperature} if temperature > 0 else {"do_sample": False}
            output = model.generate(
                **ids,
                max_new_tokens=max_tokens,
                stop_strings=list(stop) or None,
                tokenizer=tokenizer,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
                top_p=None,
                top_k=None,
                **sampling,
            )
            new = output[0, ids["input_ids"].shape[1] :].tolist()
            text = tokenizer.decode(new, skip_special_tokens=True)
            cut = min((text.index(end) for end in stop if end in text), default=None)
            ended = cut is not None or (bool(new) and new[-1] == tokenizer.eos_token_id)
            generated = Generated(
                text=text if cut is None else text[:cut],
                finish_reason="stop" if ended or len(new) < max_tokens else "length",
                prompt_tokens=int(ids["input_ids"].shape[1]),
                completion_tokens=len(new),
                seconds=time.perf_counter() - started,
            )
            self.usage.requests += 1
            self.usage.prompt_tokens += generated.prompt_tokens
            self.usage.completion_tokens += generated.completion_tokens
            self.usage.seconds += generated.seconds
        return generated
