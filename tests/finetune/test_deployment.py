"""`finetune deploy` in the domain: the management REST API against the fake ARM endpoint."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest

from bestdev.finetune.deployment import (
    DeploymentError,
    DeploymentRequest,
    DeploymentTarget,
    credential_token_source,
    deploy_model,
)
from bestdev.finetune.polling import Polling, PollingTimeout
from bestdev.settings import load_training_settings
from tests.fakes.credential import FakeCredential
from tests.fakes.fine_tuning import FakeFineTuning

FAST = Polling(interval=0.01, timeout=5, patience=3)
MODEL = "gpt-4o-mini-2024-07-18.ft-0123456789abcdef"
REQUEST = DeploymentRequest(model=MODEL, deployment="bestdev-ft", capacity=2)


@pytest.fixture
def target(fine_tuning_url: str) -> DeploymentTarget:
    settings = load_training_settings(
        AZURE_MANAGEMENT_ENDPOINT=fine_tuning_url,
        AZURE_SUBSCRIPTION_ID="sub-1",
        AZURE_RESOURCE_GROUP="rg-bestdev",
        AZURE_OPENAI_ACCOUNT="bestdev-openai",
    )
    return DeploymentTarget.from_settings(settings)


async def deploy(target: DeploymentTarget, credential: FakeCredential | None = None, polling: Polling = FAST) -> Any:
    token = credential_token_source(credential or FakeCredential(), target.scope)
    return await deploy_model(target, REQUEST, token, polling, endpoint=None)


async def test_the_deployment_is_created_polled_until_ready_and_its_settings_given(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.provisioning = deque(["Creating", "Creating", "Succeeded"])
    credential = FakeCredential()
    deployed = await deploy(target, credential)

    [put] = fake_fine_tuning.calls_to("/deployments/bestdev-ft", "PUT")
    assert put.path == (
        "/subscriptions/sub-1/resourceGroups/rg-bestdev/providers/Microsoft.CognitiveServices"
        "/accounts/bestdev-openai/deployments/bestdev-ft"
    )
    assert put.query == {"api-version": "2024-10-01"}
    assert put.headers["authorization"] == "Bearer fake-entra-token"
    assert put.body == {
        "sku": {"name": "Standard", "capacity": 2},
        "properties": {"model": {"format": "OpenAI", "name": MODEL, "version": "1"}},
    }
    assert len(fake_fine_tuning.calls_to("/operationResults/op-bestdev-ft")) == 3
    assert credential.scopes[0] == (target.scope,)
    assert deployed.state == "Succeeded"
    assert deployed.api_settings() == {
        "AZURE_OPENAI_ENDPOINT": "https://bestdev-openai.openai.azure.com/",
        "AZURE_OPENAI_DEPLOYMENT": "bestdev-ft",
    }


async def test_without_an_async_operation_the_resource_state_is_polled(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.async_operation = False
    fake_fine_tuning.provisioning = deque(["Creating", "Succeeded"])
    deployed = await deploy(target)
    assert deployed.state == "Succeeded"
    assert fake_fine_tuning.calls_to("/operationResults/op-bestdev-ft") == []


async def test_a_failed_provisioning_reports_azures_reason(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.provisioning = deque(["Creating", "Failed"])
    with pytest.raises(DeploymentError, match=r"ended Failed: The model could not be deployed: quota exceeded\."):
        await deploy(target)


async def test_a_refused_request_carries_the_arm_message(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.put_fault = (400, "InvalidResourceProperties", "The specified SKU 'Standard' is not supported.")
    with pytest.raises(
        DeploymentError, match=r"SKU 'Standard' is not supported\. \(InvalidResourceProperties, HTTP 400"
    ):
        await deploy(target)


async def test_transient_management_faults_are_ridden_out(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.management_faults = deque([500, 429])
    assert (await deploy(target)).state == "Succeeded"


async def test_provisioning_that_never_ends_is_bounded(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    fake_fine_tuning.provisioning = deque(["Creating"])
    with pytest.raises(PollingTimeout, match="deployment bestdev-ft"):
        await deploy(target, polling=Polling(interval=0.01, timeout=0.2))


async def test_no_token_means_a_clear_error_and_no_call(
    target: DeploymentTarget, fake_fine_tuning: FakeFineTuning
) -> None:
    with pytest.raises(DeploymentError, match=r"could not get a token .*please run az login"):
        await deploy(target, FakeCredential(fail=True))
    assert fake_fine_tuning.calls == []


def test_the_target_names_every_missing_setting() -> None:
    with pytest.raises(DeploymentError, match=r"AZURE_SUBSCRIPTION_ID .*AZURE_RESOURCE_GROUP .*AZURE_OPENAI_ACCOUNT"):
        DeploymentTarget.from_settings(load_training_settings())
