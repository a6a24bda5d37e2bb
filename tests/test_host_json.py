"""host.json lets the Functions host fill Application Insights' tables: each runtime category that writes a table
logs at Information (Microsoft: "Configure monitoring for Azure Functions", category table and the caution that
any other level keeps the telemetry out of those tables), and requests are never sampled away."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

HOST_JSON = Path(__file__).resolve().parents[1] / "host.json"
LEVELS = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"]

# The runtime's categories and the Application Insights table each fills.
TABLES = {
    "Host.Results": "requests",
    "Host.Aggregator": "customMetrics",
    "Function.recommend": "dependencies and traces",
    "Function.recommend.User": "traces",
}


@pytest.fixture(scope="module")
def logging_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(HOST_JSON.read_text(encoding="utf-8"))["logging"]
    return config


def effective_level(levels: dict[str, str], category: str) -> str:
    """The host's rule: the longest configured prefix of the category decides, else `default`."""
    prefixes = [name for name in levels if name != "default" and (category == name or category.startswith(name + "."))]
    return levels[max(prefixes, key=len)] if prefixes else levels.get("default", "Information")


@pytest.mark.parametrize("category", sorted(TABLES))
def test_each_table_writing_category_logs_at_information(logging_config: dict[str, Any], category: str) -> None:
    level = effective_level(logging_config["logLevel"], category)
    assert level == "Information", f"{category} at {level}: the {TABLES[category]} table misses what it should hold"


def test_the_aggregator_is_left_at_its_default(logging_config: dict[str, Any]) -> None:
    assert "Host.Aggregator" not in logging_config["logLevel"]
    assert "aggregator" not in json.loads(HOST_JSON.read_text(encoding="utf-8"))


def test_requests_are_not_sampled(logging_config: dict[str, Any]) -> None:
    sampling = logging_config["applicationInsights"]["samplingSettings"]
    assert "Request" in sampling["excludedTypes"].split(";")


def test_the_default_level_is_a_known_one(logging_config: dict[str, Any]) -> None:
    assert all(level in LEVELS for level in logging_config["logLevel"].values())
