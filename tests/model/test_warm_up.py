"""The model client's warm-up before serving: one call in memory, never reaching the model; the first token fetched."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bestdev import template
from bestdev.model.client import build_client
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.model.warm_up import stand_in_client
from bestdev.settings import Settings
from tests.fakes.credential import FakeCredential
from tests.fakes.openai_model import FakeModel, Reply


@pytest.mark.parametrize("api", ["chat", "completions"])
async def test_the_stand_in_answers_in_memory(
    model_settings: Callable[..., Settings], fake_model: FakeModel, api: str
) -> None:
    settings = model_settings(BESTDEV_MODEL_API=api)
    client = build_client(settings)
    model = FineTunedModel(stand_in_client(client, api), settings)
    assert (await model.complete(template.prompt("Zure", "A Python API"))).strip() == "warm"
    assert fake_model.calls == []
    await client.close()


async def test_the_warm_up_fetches_the_first_token_and_sends_nothing_to_the_model(
    model_settings: Callable[..., Settings], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    credential = FakeCredential()
    settings = model_settings(AZURE_OPENAI_API_KEY="")
    model = FineTunedModel(build_client(settings, credential), settings)
    assert credential.scopes == []  # building the client and the model does no I/O
    with caplog.at_level(logging.INFO):
        await model.warm_up()
    assert fake_model.calls == []
    assert len(credential.scopes) == 1  # the client's first token, fetched before serving
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    requests = [record.getMessage() for record in caplog.records if record.name == "httpx2"]
    assert requests, "the warm-up went through the HTTP client"
    assert all("http://warm-up.invalid/" in line for line in requests), requests  # never taken for a model call
    fake_model.script(Reply.answer(" Chen Wei, because they know React Native."))
    assert (await model.complete(template.prompt("Zure", "React Native"))).startswith(" Chen Wei")
    assert len(fake_model.calls) == 1
    assert len(credential.scopes) == 1  # the real call used the token the warm-up fetched
    await model.aclose()


async def test_a_failed_warm_up_is_logged_not_raised(
    model_settings: Callable[..., Settings], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    settings = model_settings(AZURE_OPENAI_API_KEY="")
    model = FineTunedModel(build_client(settings, FakeCredential(fail=True)), settings)
    with caplog.at_level(logging.WARNING, logger="bestdev.model.fine_tuned"):
        await model.warm_up()
    assert "warm-up failed" in caplog.text
    assert "could not get a token for Azure OpenAI" in caplog.text
    assert fake_model.calls == []
    await model.aclose()
