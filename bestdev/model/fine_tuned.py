"""Asks the deployed fine-tuned model for a completion, in chat or completions form."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Sequence
from typing import Protocol, TypeVar

import openai
from openai import AsyncOpenAI

from bestdev import template
from bestdev.model.client import CredentialError
from bestdev.model.faults import ModelFault
from bestdev.model.warm_up import rehearse, stand_in_client
from bestdev.settings import Settings


class _Choice(Protocol):
    @property
    def finish_reason(self) -> str | None: ...


ChoiceT = TypeVar("ChoiceT", bound=_Choice)


class FineTunedModel:
    """One deployment behind one shared async client; `complete` returns the raw completion text."""

    def __init__(self, client: AsyncOpenAI, settings: Settings) -> None:
        if not settings.azure_openai_deployment:
            raise ValueError("AZURE_OPENAI_DEPLOYMENT is not set")
        self.client = client
        self.deployment: str = settings.azure_openai_deployment
        self.api = settings.model_api
        self.max_tokens = settings.model_max_tokens
        self.deadline = settings.request_deadline_seconds
        self._warm_up()

    def _warm_up(self) -> None:
        """One call through this model's own code and a copy of its client that answers in memory."""
        rehearsal = copy.copy(self)
        rehearsal.client = stand_in_client(self.client, self.api)

        async def once() -> None:
            try:
                await rehearsal.complete(template.prompt("BestDev", "A warm-up"))
            finally:
                await rehearsal.client.close()

        rehearse(once())

    async def complete(self, prompt: str) -> str:
        """The model's answer to a template prompt, within the total deadline; ModelFault otherwise."""
        try:
            async with asyncio.timeout(self.deadline):
                text = await (self._chat(prompt) if self.api == "chat" else self._completion(prompt))
        except TimeoutError:
            raise ModelFault("timeout", f"the model did not answer within {self.deadline:g} s") from None
        except CredentialError as error:
            raise ModelFault("credential", str(error)) from error
        except openai.APITimeoutError:
            raise ModelFault("timeout", "the model timed out") from None
        except openai.APIConnectionError:
            raise ModelFault("connection", "the model endpoint could not be reached") from None
        except openai.RateLimitError:
            raise ModelFault("rate_limited", "the model is rate limited (429) after retries") from None
        except openai.InternalServerError as error:
            raise ModelFault("unavailable", f"the model service failed ({error.status_code})") from None
        except openai.APIStatusError as error:
            if _is_content_filter(error):
                raise ModelFault("content_filter", "the model's content filter refused the request") from None
            raise ModelFault("rejected", f"the model service refused the request ({error.status_code})") from None
        except (openai.APIResponseValidationError, ValueError, LookupError, TypeError, AttributeError):
            # The SDK builds responses without validating them: JSON of the wrong shape surfaces here.
            raise ModelFault("unparsable", "the model service sent a malformed response") from None
        if not isinstance(text, str):
            raise ModelFault("unparsable", "the model service sent a malformed response")
        if not text.strip():
            raise ModelFault("empty", "the model gave an empty answer")
        return text

    async def _chat(self, prompt: str) -> str:
        response = await self.client.chat.completions.create(
            model=self.deployment,
            messages=template.chat_messages(prompt),  # type: ignore[arg-type]
            stop=[template.STOP],
            temperature=0,
            max_tokens=self.max_tokens,
        )
        return _first_choice(response.choices).message.content or ""

    async def _completion(self, prompt: str) -> str:
        response = await self.client.completions.create(
            model=self.deployment,
            prompt=prompt,
            stop=[template.STOP],
            temperature=0,
            max_tokens=self.max_tokens,
        )
        return _first_choice(response.choices).text or ""

    async def aclose(self) -> None:
        await self.client.close()


def _first_choice(choices: Sequence[ChoiceT]) -> ChoiceT:
    """The answer of a chat or completions response, unless there is none or the content filter withheld it."""
    if not choices:
        raise ModelFault("empty", "the model gave no choices")
    if choices[0].finish_reason == "content_filter":
        raise ModelFault("content_filter", "the model's content filter withheld the answer")
    return choices[0]


def _is_content_filter(error: openai.APIStatusError) -> bool:
    body = error.body if isinstance(error.body, dict) else {}
    nested = body.get("error")
    code = body.get("code") or (nested.get("code") if isinstance(nested, dict) else None)
    return error.status_code == 400 and code == "content_filter"
