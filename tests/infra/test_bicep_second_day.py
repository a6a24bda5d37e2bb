"""The rules that keep the bill and the data under control after the first `azd up`, read from the parsed Bicep:
one owner for model deployments (the CLI), capacity azd can set, keep-alive off, a budget, delete locks on what
cannot be made again, resource logs into the workspace, the region gates, and outputs that leave local runs alone.
(The deployment package's allow-list and host.json have their own tests: tests/test_deploy_package.py and
tests/test_host_json.py.)"""

from __future__ import annotations

import json
import re
from typing import Any

from bestdev.finetune import placement
from bestdev.settings import Settings, load_settings

APP_LOG_CATEGORIES = {"Audit", "RequestResponse", "Trace"}
TABLE_LOG_CATEGORIES = {"StorageRead", "StorageWrite", "StorageDelete"}
# Microsoft's own Flex Consumption quickstart template (Azure-Samples/functions-quickstart-python-http-azd,
# infra/main.bicep), checked 2026-12-07, without its canary region eastus2euap.
FLEX_CONSUMPTION_REGIONS = {
    "australiaeast", "australiasoutheast", "brazilsouth", "canadacentral", "centralindia", "centralus", "eastasia",
    "eastus", "eastus2", "francecentral", "germanywestcentral", "italynorth", "japaneast", "koreacentral",
    "northcentralus", "northeurope", "norwayeast", "southafricanorth", "southcentralus", "southeastasia",
    "southindia", "spaincentral", "swedencentral", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope",
    "westus", "westus2", "westus3",
}  # fmt: skip


def resources_of_type(resources: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {key: resource for key, resource in resources.items() if resource["type"] == kind}


def decorator(param: dict[str, Any], kind: str) -> Any:
    return next((d["argument"] for d in param.get("decorators", []) if d["type"] == kind), None)


def placeholder(parameters_file: dict[str, Any], name: str) -> str:
    return str(parameters_file.get(name, {}).get("value", ""))


# 1. One owner of model deployments: the CLI


def test_no_template_creates_a_model_deployment(resources):
    deployments = resources_of_type(resources, "Microsoft.CognitiveServices/accounts/deployments")
    assert not deployments, f"the CLI owns model deployments; azd must not create or revert one: {list(deployments)}"


def test_the_app_calls_the_deployment_the_cli_recorded_in_the_azd_environment(main, parameters_file, body_of):
    params = body_of(main["modules"]["functionApp"])["params"]
    assert params["openAiDeployment"] == "servingDeployment"
    assert params["fineTunedModelName"] == "servingModel"
    assert placeholder(parameters_file, "servingDeployment") == "${BESTDEV_SERVING_DEPLOYMENT=}"
    assert placeholder(parameters_file, "servingModel") == "${BESTDEV_SERVING_MODEL=}"


# 2. Capacity azd can set, with a default that serves an interactive team


def test_capacity_is_an_azd_parameter_with_a_default_for_a_team(main, parameters_file):
    param = main["parameters"]["openAiDeploymentCapacity"]
    assert placeholder(parameters_file, "openAiDeploymentCapacity") == "${AZURE_OPENAI_DEPLOYMENT_CAPACITY=50}"
    assert int(param["default"]) >= 30, "1,000 tokens a minute is about six requests a minute: not a team's"
    assert "AZURE_OPENAI_DEPLOYMENT_CAPACITY" in main["outputs"], "the CLI deploys with what azd was given"
    assert Settings.model_fields["deployment_capacity"].default == int(param["default"])


# 3. Keep-alive off by default


def test_keep_alive_is_off_by_default(main):
    assert main["parameters"]["keepAliveDays"]["default"] == 0
    assert Settings.model_fields["keep_alive_days"].default == 0


# 4. A budget with an alert on the resource group


def test_a_monthly_budget_alerts_on_the_resource_group(parsed, main, parameters_file, body_of):
    budgets = resources_of_type(
        {f"{file}:{symbol}": r for file, t in parsed.items() for symbol, r in t.get("resources", {}).items()},
        "Microsoft.Consumption/budgets",
    )
    assert len(budgets) == 1
    properties = body_of(next(iter(budgets.values())))["properties"]
    assert properties["category"] == "Cost"
    assert properties["timeGrain"] == "Monthly"
    notifications = properties["notifications"]
    assert {n["thresholdType"] for n in notifications.values()} == {"Actual", "Forecasted"}
    assert all(n["enabled"] is True and n["contactRoles"] for n in notifications.values()), "someone is told"
    assert body_of(main["modules"]["budget"])["scope"] == "rg", "on the resource group"
    assert placeholder(parameters_file, "budgetAmount").startswith("${BESTDEV_BUDGET_AMOUNT=")
    assert placeholder(parameters_file, "budgetContactEmails") == "${BESTDEV_BUDGET_EMAILS=}"


# 5. Data that outlives `azd down`


def test_delete_locks_keep_the_openai_account_and_the_feedback_storage(parsed, body_of):
    template = parsed["modules/locks.bicep"]
    locks = resources_of_type(template["resources"], "Microsoft.Authorization/locks")
    existing = {symbol: resource["type"] for symbol, resource in template["resources"].items() if resource["existing"]}
    locked = {existing[body_of(lock)["scope"]] for lock in locks.values()}
    assert locked == {"Microsoft.CognitiveServices/accounts", "Microsoft.Storage/storageAccounts"}
    assert {body_of(lock)["properties"]["level"] for lock in locks.values()} == {"CanNotDelete"}


def test_the_locks_are_on_unless_switched_off(main, parameters_file):
    assert main["parameters"]["protectData"]["default"] == "true"
    assert placeholder(parameters_file, "protectData") == "${BESTDEV_PROTECT_DATA=true}"
    assert "protectData" in json.dumps(main["modules"]["locks"]["config"]["condition"])



def test_the_feedback_storage_is_zone_redundant_or_geo_redundant_where_the_region_has_no_zones(parsed, main):
    """Locks keep the account from `azd down`; redundancy keeps the feedback when a datacenter is lost. Regions
    without availability zones cannot take zone-redundant storage, so they get geo-redundant storage instead."""
    storage = parsed["modules/storage.bicep"]
    assert set(decorator(storage["parameters"]["skuName"], "allowed")) == {"Standard_ZRS", "Standard_GRS"}
    chosen = json.dumps(main["modules"]["storage"]["config"]["params"]["skuName"])
    assert "regionsWithoutZones" in chosen
    assert "Standard_GRS" in chosen
    assert "Standard_ZRS" in chosen
    without_zones = set(main["variables"]["regionsWithoutZones"]["value"])
    assert without_zones == {"australiasoutheast", "northcentralus", "southindia", "ukwest", "westcentralus", "westus"}
    assert without_zones < FLEX_CONSUMPTION_REGIONS

# 6. Resource logs of the OpenAI account and the feedback storage into the workspace


def test_diagnostic_settings_send_the_account_and_table_logs_to_the_workspace(parsed, main, body_of):
    template = parsed["modules/diagnostics.bicep"]
    settings = resources_of_type(template["resources"], "Microsoft.Insights/diagnosticSettings")
    scopes = {}
    for setting in settings.values():
        body = body_of(setting)
        assert body["properties"]["workspaceId"] == "workspaceId"
        categories = {log["category"] for log in body["properties"]["logs"] if log["enabled"] is True}
        scopes[template["resources"][body["scope"]]["type"]] = categories
    assert scopes == {
        "Microsoft.CognitiveServices/accounts": APP_LOG_CATEGORIES,
        "Microsoft.Storage/storageAccounts/tableServices": TABLE_LOG_CATEGORIES,
    }
    params = body_of(main["modules"]["diagnostics"])["params"]
    assert "logAnalyticsWorkspaceId" in json.dumps(params["workspaceId"])


# 7. Region gates: the deployment table per type, and Flex Consumption for the app


def test_the_bicep_deployment_table_is_the_clis(parsed):
    variables = parsed["modules/openai.bicep"]["variables"]
    standard = {key.strip("'"): regions for key, regions in variables["standardRegions"]["value"].items()}
    assert standard == {model: list(regions) for model, regions in placement.STANDARD_REGIONS.items()}
    assert variables["globalRegions"]["value"] == list(placement.GLOBAL_REGIONS)
    assert variables["developerModels"]["value"] == list(placement.DEVELOPER_MODELS)
    assert all(model.startswith("gpt-4.1-") for model in placement.DEVELOPER_MODELS), "Developer: gpt-4.1 family"
    text = (json.dumps(variables["placementAdvice"]) + json.dumps(variables["developerAdvice"])).lower()
    assert "developertier" in text


def test_the_table_is_dated(parsed):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "infra" / "modules" / "openai.bicep").read_text(encoding="utf-8")
    assert re.search(r"deployment table[^\n]*\n?[^\n]*checked \d{4}-\d{2}-\d{2}", text)
    assert placement.CHECKED in text


def test_location_is_limited_to_flex_consumption_regions(main):
    allowed = set(decorator(main["parameters"]["location"], "allowed") or [])
    assert allowed == FLEX_CONSUMPTION_REGIONS


# 8. Outputs that leave local runs alone


def test_azd_env_values_in_a_shell_do_not_change_what_a_local_run_does(main):
    outputs = {name: f"https://value-of-{name.lower().replace('_', '-')}.example" for name in main["outputs"]}
    outputs |= {"AZURE_OPENAI_DEPLOYMENT_SKU": "Standard", "AZURE_OPENAI_DEPLOYMENT_CAPACITY": "50"}
    local, exported = load_settings(), load_settings(**outputs)
    assert not exported.model_configured, "a local run keeps its local recommender"
    assert exported.azure_client_id is None, "a local run does not take the app's identity"
    assert exported.feedback_store == local.feedback_store, "a local run keeps its own feedback file"
    assert exported.keep_alive_days == local.keep_alive_days
