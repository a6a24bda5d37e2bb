"""What the provisioned service must be, read from the parsed Bicep: keyless end to end,
app settings named exactly like the settings BestDev reads, and roles that are named and commented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bestdev.settings import Settings

INFRA = Path(__file__).resolve().parents[2] / "infra"
# Settings the Functions platform reads; everything else in the app settings is read by bestdev/settings.py.
PLATFORM_PREFIXES = ("AzureWebJobsStorage__", "APPLICATIONINSIGHTS_")
APP_SETTINGS = {
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_DEPLOYMENT",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_CLIENT_ID",
    "BESTDEV_MODEL_API",
    "BESTDEV_FALLBACK",
    "BESTDEV_FUNCTION_AUTH_LEVEL",
    "BESTDEV_REQUIRED_ROLE",
    "BESTDEV_LOG_DESCRIPTIONS",
    "BESTDEV_FINE_TUNED_MODEL",
    "BESTDEV_KEEP_ALIVE_DAYS",
    "AZURE_SUBSCRIPTION_ID",
    "AZURE_RESOURCE_GROUP",
    "AZURE_OPENAI_ACCOUNT",
    "BESTDEV_FEEDBACK_STORE",
    "BESTDEV_FEEDBACK_TABLE_ENDPOINT",
    "BESTDEV_FEEDBACK_TABLE",
    "BESTDEV_FEEDBACK_DAYS",
    "BESTDEV_POOL_URL",
}
# Built-in role definition ids (the same in every tenant) and their names.
BUILT_IN_ROLES = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
    "76199698-9eea-4c19-bc75-cec21354c6b6": "Storage Table Data Reader",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "a001fd3d-188f-4b5d-821b-7da978bf7442": "Cognitive Services OpenAI Contributor",
    "43d0d8ad-25c7-4714-9337-8ba259a9fe05": "Monitoring Reader",
}
ROLE_VARIABLE = re.compile(r"^var (\w+) = '([0-9a-f-]{36})'$")


@pytest.fixture(scope="module")
def app_settings(parsed):
    settings = parsed["modules/functionapp.bicep"]["variables"]["appSettings"]["value"]
    assert isinstance(settings, dict)
    return settings


def resource(parsed, file, symbol, body_of):
    return body_of(parsed[file]["resources"][symbol])


def test_app_settings_are_named_like_the_settings_the_code_reads(app_settings):
    code_names = {field.validation_alias for field in Settings.model_fields.values()}
    app_facing = {name for name in app_settings if not name.startswith(PLATFORM_PREFIXES)}
    assert app_facing <= code_names, f"settings bestdev/settings.py does not read: {app_facing - code_names}"
    assert app_facing == APP_SETTINGS


def test_outputs_are_named_like_the_app_settings(main):
    """Each app setting is an output: under its own name where the CLI reads it, else prefixed APP_."""
    missing = {name for name in APP_SETTINGS if name not in main["outputs"] and f"APP_{name}" not in main["outputs"]}
    assert not missing, f"main.bicep outputs missing for app settings: {missing}"


def test_no_key_or_secret_anywhere():
    for path in [*INFRA.rglob("*.bicep"), INFRA / "main.parameters.json"]:
        text = path.read_text(encoding="utf-8")
        for forbidden in ("AZURE_OPENAI_API_KEY", "listKeys(", "AccountKey=", "InstrumentationKey="):
            assert forbidden not in text, f"{path.name} mentions {forbidden}"


def test_runtime_storage_connection_is_identity_based(app_settings):
    assert "AzureWebJobsStorage" not in app_settings, "no connection string"
    assert app_settings["AzureWebJobsStorage__blobServiceUri"] == "storageBlobEndpoint"
    assert app_settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert app_settings["AzureWebJobsStorage__clientId"] == "identityClientId"
    assert app_settings["AZURE_CLIENT_ID"] == "identityClientId"


def test_telemetry_goes_through_the_identity(app_settings, parsed, body_of):
    assert app_settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] == "ClientId=${identityClientId};Authorization=AAD"
    assert "APPLICATIONINSIGHTS_CONNECTION_STRING" in app_settings
    insights = resource(parsed, "modules/monitoring.bicep", "applicationInsights", body_of)["properties"]
    assert insights["DisableLocalAuth"] is True
    assert insights["WorkspaceResourceId"], "workspace-based"


def test_storage_is_locked_down(parsed, body_of):
    account = resource(parsed, "modules/storage.bicep", "storage", body_of)["properties"]
    assert account["allowSharedKeyAccess"] is False
    assert account["allowBlobPublicAccess"] is False
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["supportsHttpsTrafficOnly"] is True
    container = resource(parsed, "modules/storage.bicep", "deploymentContainer", body_of)["properties"]
    assert container["publicAccess"] == "None"


def test_openai_is_keyless(parsed, body_of):
    template = parsed["modules/openai.bicep"]
    account = body_of(template["resources"]["account"])
    assert account["kind"] in {"OpenAI", "AIServices"}
    assert account["properties"]["disableLocalAuth"] is True
    assert account["properties"]["customSubDomainName"] == "customSubDomainName"


def test_function_app_is_flex_consumption_python_with_its_identity(parsed, body_of):
    template = parsed["modules/functionapp.bicep"]
    plan = body_of(template["resources"]["plan"])
    assert plan["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    app = body_of(template["resources"]["app"])
    assert app["kind"] == "functionapp,linux"
    assert app["identity"]["type"] == "UserAssigned"
    properties = app["properties"]
    assert properties["httpsOnly"] is True
    assert properties["siteConfig"]["minTlsVersion"] == "1.2"
    config = properties["functionAppConfig"]
    assert config["runtime"] == {"name": "python", "version": "pythonVersion"}
    assert template["parameters"]["pythonVersion"]["default"] == "3.11"
    assert config["scaleAndConcurrency"] == {
        "maximumInstanceCount": "maximumInstanceCount",
        "instanceMemoryMB": "instanceMemoryMB",
        "triggers": {"http": {"perInstanceConcurrency": "httpPerInstanceConcurrency"}},
    }
    assert config["deployment"]["storage"]["authentication"] == {
        "type": "UserAssignedIdentity",
        "userAssignedIdentityResourceId": "identityId",
    }


def test_role_assignments_are_guid_named(resources, body_of):
    assignments = {key: r for key, r in resources.items() if r["type"] == "Microsoft.Authorization/roleAssignments"}
    assert len(assignments) >= 5
    for key, assignment in assignments.items():
        name = body_of(assignment)["name"]
        assert isinstance(name, dict) and name["function"]["type"] == "guid", f"{key} is not named with guid()"


def test_each_role_id_is_commented_with_its_role():
    lines = (INFRA / "modules" / "roles.bicep").read_text(encoding="utf-8").splitlines()
    seen = set()
    for index, line in enumerate(lines):
        match = ROLE_VARIABLE.match(line)
        if not match:
            assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", line), f"role id outside a commented variable: {line}"
            continue
        role_id = match.group(2)
        assert role_id in BUILT_IN_ROLES, f"{match.group(1)}: unknown role id {role_id}"
        assert lines[index - 1].startswith(f"// {BUILT_IN_ROLES[role_id]}:"), f"{match.group(1)} lacks its comment"
        seen.add(BUILT_IN_ROLES[role_id])
    assert {"Cognitive Services OpenAI User", "Storage Blob Data Owner", "Monitoring Metrics Publisher"} <= seen


def test_the_deploying_person_is_optional(main, parsed, body_of):
    assert main["parameters"]["principalId"]["default"] == ""
    assert body_of(main["modules"]["roles"])["params"]["userPrincipalId"] == "principalId"
    roles = parsed["modules/roles.bicep"]
    assert roles["parameters"]["userPrincipalId"]["default"] == ""
    assignments = {s: r for s, r in roles["resources"].items() if r["type"] == "Microsoft.Authorization/roleAssignments"}
    for symbol, assignment in assignments.items():
        if "userPrincipalId" in json.dumps(body_of(assignment)["properties"]["principalId"]):
            assert "userPrincipalId" in json.dumps(assignment["config"]["condition"]), f"{symbol}: empty adds nobody"


def test_names_come_from_a_resource_token(main):
    token = json.dumps(main["variables"]["resourceToken"])
    assert "unique_string" in token and "environmentName" in token
