"""The local model behind the Azure OpenAI API subset, driven by the real openai SDK and by BestDev's own app:
a CI-sized loop of train, serve, and a grounded (or refused) answer through POST /api/recommend."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import openai
import pytest
from fastapi.testclient import TestClient
from openai import AsyncAzureOpenAI, AsyncOpenAI

from bestdev import template
from bestdev.api.app import create_app
from bestdev.local_model.generation import Generator
from bestdev.local_model.prompting import AsTrained
from bestdev.local_model.server import ModelServer
from bestdev.local_model.serving import serving
from bestdev.local_model.training import TrainingResult
from bestdev.local_model.weights import Loaded, load
from bestdev.pool import Pool
from bestdev.settings import load_settings

KEY = "local-key"
OPENING = "The capital of France is"
DESCRIPTION = "A React Native app with Firebase push notifications"


@pytest.fixture(scope="module")
def tuned(trained: TrainingResult) -> Generator:
    """The trained run, loaded as `local-model serve RUN` loads it: its best checkpoint on the base model."""
    return Generator(load(trained.out))


@pytest.fixture(scope="module")
def tuned_url(tuned: Generator) -> Iterator[str]:
    with serving(ModelServer(tuned, AsTrained(), deployment="smollm2-local", api_key=KEY).app) as url:
        yield url


@pytest.fixture(scope="module")
def base_generator(base: Loaded) -> Generator:
    return Generator(base)


@pytest.fixture(scope="module")
def base_url(base_generator: Generator) -> Iterator[str]:
    with serving(ModelServer(base_generator, AsTrained()).app) as url:
        yield url


def test_the_app_answers_through_the_served_model_grounded_or_refused_never_a_500(
    tuned: Generator, tuned_url: str, pool: Pool
) -> None:
    settings = load_settings(
        AZURE_OPENAI_ENDPOINT=tuned_url,
        AZURE_OPENAI_DEPLOYMENT="smollm2-local",
        AZURE_OPENAI_API_KEY=KEY,
        BESTDEV_MODEL_BACKEND="local-model",
        BESTDEV_MODEL_TIMEOUT=60,
        BESTDEV_REQUEST_DEADLINE=61,
    )
    asked = tuned.usage.requests
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/api/recommend", json={"description": DESCRIPTION})
    assert response.status_code == 200, response.text
    assert tuned.usage.requests == asked + 1, "the served model was asked"
    body = response.json()
    for recommendation in body["recommendations"]:
        developer = pool.find(recommendation["name"])
        assert developer is not None
        assert set(recommendation["matched_skills"]) <= {*developer.skills, *developer.experience}
    if body["backend"] == "local":  # the model's answer was refused: the app says why and answers locally
        assert body["fallback"]["reason"]
    else:
        assert body["backend"] == "local-model"
        assert body["model"] == "smollm2-local"


async def test_chat_completions_at_the_azure_path_with_stop_max_tokens_and_usage(
    tuned_url: str, tuned: Generator
) -> None:
    async with AsyncAzureOpenAI(azure_endpoint=tuned_url, api_key=KEY, api_version="2024-10-21") as client:
        response = await client.chat.completions.create(
            model="smollm2-local",
            messages=template.chat_messages(template.prompt("Zure", DESCRIPTION)),  # type: ignore[arg-type]
            stop=[template.STOP],
            temperature=0,
            max_tokens=48,
        )
    choice = response.choices[0]
    assert choice.message.role == "assistant"
    assert template.STOP not in (choice.message.content or "")
    assert choice.finish_reason in {"stop", "length"}
    assert response.usage is not None
    assert response.usage.prompt_tokens > 20
    assert 0 < response.usage.completion_tokens <= 48
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens
    assert response.model == tuned.name


async def test_completions_stop_where_a_stop_sequence_starts_and_max_tokens_ends_with_length(base_url: str) -> None:
    async with AsyncOpenAI(base_url=f"{base_url}/v1", api_key="unused") as client:
        free = await client.completions.create(model="any", prompt=OPENING, max_tokens=8, temperature=0)
        text = free.choices[0].text
        assert free.choices[0].finish_reason == "length"
        assert free.usage is not None
        assert free.usage.completion_tokens == 8
        stop = text.strip()[2:5]
        stopped = await client.completions.create(model="any", prompt=OPENING, max_tokens=8, temperature=0, stop=[stop])
    assert stopped.choices[0].text == text[: text.index(stop)]
    assert stopped.choices[0].finish_reason == "stop"


async def test_a_wrong_key_an_unknown_deployment_and_a_bad_body_get_azures_errors(tuned_url: str) -> None:
    async with AsyncAzureOpenAI(azure_endpoint=tuned_url, api_key="wrong", api_version="2024-10-21") as client:
        with pytest.raises(openai.AuthenticationError):
            await client.chat.completions.create(model="smollm2-local", messages=[{"role": "user", "content": "hi"}])
    async with AsyncAzureOpenAI(azure_endpoint=tuned_url, api_key=KEY, api_version="2024-10-21") as client:
        with pytest.raises(openai.NotFoundError) as missing:
            await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.code == "DeploymentNotFound"
    path = f"{tuned_url}/openai/deployments/smollm2-local/chat/completions?api-version=2024-10-21"
    async with httpx2.AsyncClient(headers={"api-key": KEY}) as http:
        for body in ({"messages": []}, {"messages": [{"role": "user", "content": "hi"}], "stream": True}, "[1"):
            response = await (http.post(path, content=body) if isinstance(body, str) else http.post(path, json=body))
            assert response.status_code == 400
            assert set(response.json()["error"]) == {"code", "message"}
