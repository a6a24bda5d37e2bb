"""Asks the deployed fine-tuned model for a completion, in chat or completions form."""

from __future__ import annotations

import asyncio
import copy
import importlib
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import openai
from openai import AsyncOpenAI

from bestdev import template
from bestdev.model.breaker import LONGEST_PAUSE, Breaker, ModelStatus
from bestdev.model.client import CredentialError
from bestdev.model.faults import ModelFault
from bestdev.model.retry_after import limits, service_wait
from bestdev.model.warm_up import stand_in_client
from bestdev.settings import Settings

log = logging.getLogger(__name__)

# The openai SDK's own backoff when the service names no wait: 0.5 s doubling to 8 s, less up to a quarter.
INITIAL_BACKOFF = 0.5
LONGEST_BACKOFF = 8.0
MALFORMED = "the model service sent a malformed response"


class _Choice(Protocol):
    @property
    def finish_reason(self) -> str | None: ...


ChoiceT = TypeVar("ChoiceT", bound=_Choice)


class FineTunedModel:
    """One deployment behind one shared async client; `complete` returns the raw completion text.

    Retries are made here, not by the SDK (its client is used with max_retries=0): a retry starts only when the
    time left holds its wait and a full attempt, and a shared Breaker keeps every request away from a deployment
    that asked to wait or keeps failing. After a Retry-After pause, a request the breaker holds back waits for a
    call under way to end (when its deadline holds that and a full attempt), then asks again.

    `clock` is the event loop's kind of clock (monotonic seconds); a simulation passes its own loop's.
    """

    def __init__(self, client: AsyncOpenAI, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        if not settings.azure_openai_deployment:
            raise ValueError("AZURE_OPENAI_DEPLOYMENT is not set")
        self.client = client.with_options(max_retries=0)
        self.deployment: str = settings.azure_openai_deployment
        self.api = settings.model_api
        self.max_tokens = settings.model_max_tokens
        self.deadline = settings.request_deadline_seconds
        self.attempt_seconds = settings.model_timeout_seconds
        self.max_retries = settings.model_max_retries
        self.clock = clock
        self.breaker = Breaker(settings.breaker_failures, settings.breaker_seconds, clock)
        self._call_ended: list[asyncio.Future[None]] = []  # requests waiting for a call under way to end

    async def warm_up(self) -> None:
        """Before serving: one call through this model's own code and a copy of its client whose transport answers
        in memory (see warm_up). With a credential, the client's first token is fetched by that call."""
        rehearsal = copy.copy(self)
        rehearsal.client = stand_in_client(self.client, self.api)
        rehearsal.breaker = Breaker(1, 1.0)
        rehearsal._call_ended = []
        try:
            await rehearsal.complete(template.prompt("BestDev", "A warm-up"))
        except Exception as error:  # a failed warm-up only costs the first request some speed
            log.warning("model client warm-up failed (the first request will be slower): %s", error)
        finally:
            await rehearsal.client.close()
        # The transport's async backend is loaded on the first real connection; load it now too.
        importlib.import_module("anyio._backends._asyncio")

    def status(self) -> ModelStatus:
        return self.breaker.status()

    async def complete(self, prompt: str) -> str:
        """The model's answer to a template prompt, within the total deadline; ModelFault otherwise."""
        ends = self.clock() + self.deadline
        retries = 0
        while True:
            await self._admitted(ends)
            probe = self.breaker.take_probe()
            self.breaker.started()
            try:
                text = await self._attempt(prompt, ends)
            except _Failed as failed:
                self._record(failed, probe)
                self._end_call()
                wait = self._retry_wait(failed, retries)
                if wait is None or wait + self.attempt_seconds > ends - self.clock():
                    raise self._final(failed, wait, retries) from None
                log.debug("retrying in %.2f s after %s", wait, failed.fault.cause)
                await asyncio.sleep(wait)
                retries += 1
                continue
            except BaseException:
                self._end_call()
                raise
            finally:
                if probe:
                    self.breaker.probe_done()
            self.breaker.succeeded()
            self._end_call()
            return text

    async def _admitted(self, ends: float) -> None:
        """Returns once the breaker lets a call go; waits out the service's own pause when the deadline holds
        it and a full attempt after it, waits for a call under way to end while the breaker ramps up after such
        a pause, and raises the breaker's refusal otherwise."""
        while True:
            while (wait := self.breaker.wait()) > 0:
                if not self.breaker.waitable or wait + self.attempt_seconds > ends - self.clock():
                    raise self.breaker.refusal()
                await asyncio.sleep(wait)
            if self.breaker.may_start():
                return
            budget = ends - self.clock() - self.attempt_seconds
            if budget <= 0:
                raise self.breaker.ramp_refusal()
            ended = asyncio.get_running_loop().create_future()
            self._call_ended.append(ended)
            try:
                await asyncio.wait_for(ended, budget)
            except TimeoutError:
                raise self.breaker.ramp_refusal() from None
            finally:
                if ended in self._call_ended:
                    self._call_ended.remove(ended)

    def _end_call(self) -> None:
        """A call is over (its outcome recorded): the requests waiting for one to end look again."""
        self.breaker.ended()
        waiting, self._call_ended = self._call_ended, []
        for ended in waiting:
            if not ended.done():
                ended.set_result(None)

    async def _attempt(self, prompt: str, ends: float) -> str:
        """One call, cut at the attempt timeout or the deadline; every failure comes out as _Failed."""
        left = ends - self.clock()
        limit = min(self.attempt_seconds, left)
        try:
            async with asyncio.timeout(limit):
                text = await (self._chat(prompt) if self.api == "chat" else self._completion(prompt))
        except ModelFault as given:
            raise _Failed(given, answered=True) from None
        except (TimeoutError, openai.APITimeoutError):
            within = self.deadline if limit < self.attempt_seconds else self.attempt_seconds
            raise _Failed(ModelFault("timeout", f"the model did not answer within {within:g} s"), retry=True) from None
        except CredentialError as error:
            raise _Failed(ModelFault("credential", str(error))) from None
        except openai.APIConnectionError:
            unreachable = ModelFault("connection", "the model endpoint could not be reached")
            raise _Failed(unreachable, retry=True, failing=True) from None
        except openai.APIStatusError as error:
            raise _status_failure(error) from None
        except (openai.APIResponseValidationError, ValueError, LookupError, TypeError, AttributeError):
            # The SDK builds responses without validating them: JSON of the wrong shape surfaces here.
            raise _Failed(ModelFault("unparsable", MALFORMED), answered=True) from None
        if not isinstance(text, str):
            raise _Failed(ModelFault("unparsable", MALFORMED), answered=True)
        if not text.strip():
            raise _Failed(ModelFault("empty", "the model gave an empty answer"), answered=True)
        return text

    def _record(self, failed: _Failed, probe: bool) -> None:
        why = failed.fault.message
        if failed.fault.cause == "rate_limited":
            self.breaker.throttled(failed.service_wait if failed.service_wait is not None else 0.0, why)
        elif failed.failing:
            self.breaker.failed(failed.fault.cause, why, failed.service_wait, probe=probe)
        elif failed.answered:
            self.breaker.succeeded()

    def _retry_wait(self, failed: _Failed, retries: int) -> float | None:
        """Seconds before the next attempt (the service's word, else the SDK's own backoff), or None for none."""
        if not failed.retry or retries >= self.max_retries:
            return None
        if failed.service_wait is not None:
            return failed.service_wait
        return min(INITIAL_BACKOFF * 2.0**retries, LONGEST_BACKOFF) * (1 - 0.25 * random.random())

    def _final(self, failed: _Failed, wait: float | None, retries: int) -> ModelFault:
        """The fault this request ends with: why, and when to come back (the service's wait or the breaker's)."""
        fault = failed.fault
        known = [value for value in (failed.service_wait, self.breaker.wait()) if value]
        retry_after = min(max(known), LONGEST_PAUSE) if known else None  # the breaker probes after that anyway
        message = fault.message
        if fault.cause == "rate_limited" and failed.service_wait is not None:
            message = f"{message}: the service asked to wait {_duration(failed.service_wait)}"
            if wait is not None:
                message += ", longer than this request can"
        elif retries:
            message = f"{message} ({retries + 1} attempts)"
        calls = f"{retries + 1} call{'s' if retries else ''}"
        detail = f"{failed.detail}; {calls}" if failed.detail else calls
        return ModelFault(fault.cause, message, retry_after=retry_after, detail=detail)

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


class _Failed(Exception):
    """One attempt's failure: the fault, whether a retry may help, and what the service said about waiting."""

    def __init__(
        self,
        fault: ModelFault,
        *,
        retry: bool = False,
        failing: bool = False,
        answered: bool = False,
        service_wait: float | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(fault.message)
        self.fault = fault
        self.retry = retry
        self.failing = failing  # counts towards opening the breaker
        self.answered = answered  # the service answered, so it is up
        self.service_wait = service_wait
        self.detail = detail


def _status_failure(error: openai.APIStatusError) -> _Failed:
    """The failure an HTTP error status stands for, with the service's wait and words for the log."""
    status = error.status_code
    headers = error.response.headers
    said = _service_message(error.body) or error.message
    wait = service_wait(headers, said)
    detail = "; ".join(
        part
        for part in (
            f"{status} from the service",
            f"asked to wait {wait:g} s" if wait is not None else "",
            limits(headers),
            f"it said: {said[:300]!r}" if said else "",
        )
        if part
    )
    should = headers.get("x-should-retry")
    retry = should == "true" or (should != "false" and (status in (408, 409, 429) or status >= 500))
    if status == 429:
        fault = ModelFault("rate_limited", "the model is rate limited (429)")
        return _Failed(fault, retry=retry, service_wait=wait, detail=detail)
    if status >= 500:
        fault = ModelFault("unavailable", f"the model service failed ({status})")
        return _Failed(fault, retry=retry, failing=True, service_wait=wait, detail=detail)
    if _is_content_filter(error):
        fault = ModelFault("content_filter", "the model's content filter refused the request")
        return _Failed(fault, answered=True, detail=detail)
    fault = ModelFault("rejected", f"the model service refused the request ({status})")
    return _Failed(fault, retry=retry, answered=True, service_wait=wait if retry else None, detail=detail)


def _service_message(body: object) -> str:
    """The message of an error body: Azure's {"error": {"message"}} or API Management's {"message"}."""
    if not isinstance(body, dict):
        return ""
    nested = body.get("error")
    message = nested.get("message") if isinstance(nested, dict) else body.get("message")
    return message if isinstance(message, str) else ""


def _duration(seconds: float) -> str:
    return f"{math.ceil(seconds):d} s" if math.isfinite(seconds) else "without end"


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
