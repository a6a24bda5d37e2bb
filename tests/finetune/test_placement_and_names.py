"""Deployment names from model ids, and the deployment table's rules per deployment type."""

from __future__ import annotations

import re

import pytest

from bestdev.finetune.placement import placement_problem
from bestdev.finetune.serving import deployment_name

ALLOWED = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$")


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4.1-mini-2025-04-14.ft-0123abcd",
        "gpt-4.1-mini-2025-04-14.ft-0123abcd:ckpt-step-30",
        "gpt-4o-mini-2024-07-18.ft-" + "x" * 80,
        "m",
        ":weird:",
    ],
)
def test_every_model_id_gives_a_name_azure_accepts(model: str) -> None:
    assert ALLOWED.match(deployment_name(model))


def test_different_models_get_different_names_even_when_cut() -> None:
    long = "gpt-4o-mini-2024-07-18.ft-" + "x" * 80
    assert deployment_name(long + "a") != deployment_name(long + "b")
    assert deployment_name("a.ft-1:ckpt-step-1") != deployment_name("a.ft-1:ckpt-step-2")


def test_a_short_id_keeps_its_name() -> None:
    assert deployment_name("gpt-4.1-mini-2025-04-14.ft-0123abcd") == "gpt-4.1-mini-2025-04-14.ft-0123abcd"


@pytest.mark.parametrize(
    ("model", "sku", "location", "problem"),
    [
        ("gpt-4.1-mini-2025-04-14.ft-1", "Standard", "swedencentral", None),
        ("gpt-4.1-mini-2025-04-14.ft-1", "Standard", "eastus2", "exists only in northcentralus, swedencentral"),
        ("gpt-4o-2024-08-06.ft-1", "Standard", "eastus2", None),
        ("gpt-4o-mini-2024-07-18.ft-1", "GlobalStandard", "eastus2", None),
        ("gpt-4o-mini-2024-07-18.ft-1", "GlobalStandard", "centralindia", "global fine-tuning region"),
        ("gpt-4o-mini-2024-07-18.ft-1", "DeveloperTier", "swedencentral", "gpt-4.1 family"),
        ("gpt-4.1-nano-2025-04-14.ft-1", "DeveloperTier", "westus3", None),
        ("someone-elses-model.ft-1", "Standard", "westus", None),  # unknown to the table: Azure decides
    ],
)
def test_the_deployment_table_per_type(model: str, sku: str, location: str, problem: str | None) -> None:
    found = placement_problem(model, sku, location)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found
