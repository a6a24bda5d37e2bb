"""The model client's warm-up at startup: one rehearsed call, in memory, never reaching the model or a credential."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bestdev import template
from bestdev.model.client import build_client
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.model.warm_up import rehearse, stand_in_client
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


def test_building_the_model_warms_up_without_a_request_or_another_token(
    model_settings: Callable[..., Settings], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    credential = FakeCredential()
    settings = model_settings(AZURE_OPENAI_API_KEY="")
    with caplog.at_level(logging.INFO):
        client = build_client(settings, credential)
        assert len(credential.scopes) == 1  # the client's first token, fetched once at startup
        FineTunedModel(client, settings)
    assert fake_model.calls == []
    assert len(credential.scopes) == 1  # the rehearsal used a placeholder key, not the credential
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    requests = [record.getMessage() for record in caplog.records if record.name == "httpx2"]
    assert requests, "the rehearsal went through the HTTP client"
    assert all("http://warm-up.invalid/" in line for line in requests), requests  # never taken for a model call


async def test_the_first_real_call_after_warming_up_reaches_the_model(
    model_settings: Callable[..., Settings], fake_model: FakeModel
) -> None:
    settings = model_settings()
    model = FineTunedModel(build_client(settings), settings)
    fake_model.script(Reply.answer(" Chen Wei, because they know React Native."))
    assert (await model.complete(template.prompt("Zure", "React Native"))).startswith(" Chen Wei")
    assert len(fake_model.calls) == 1
    await model.aclose()


async def test_a_failed_rehearsal_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def fails() -> None:
        raise RuntimeError("the SDK changed shape")

    with caplog.at_level(logging.WARNING, logger="bestdev.model.warm_up"):
        rehearse(fails())  # from inside a running event loop, as the Functions host imports the app
    assert "warm-up failed" in caplog.text
    assert "the SDK changed shape" in caplog.text
