"""Rules the template must keep to deploy on Azure as it is today (checked against Microsoft's documentation and
templates on 2026-12-01; the README's "Deploy to Azure" cites them). Each failed on the template before these rules were applied."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from bestdev.settings import load_training_settings
from bestdev.finetune.deployment import DeploymentTarget
from bestdev.dataset.fine_tunable import FINE_TUNABLE

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
AZD_PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Z][A-Z0-9_]*)(?P<default>=[^}]*)?\}")
# azd sets these itself for every environment, so they need no default.
ALWAYS_SET_BY_AZD = {"AZURE_ENV_NAME", "AZURE_LOCATION"}

# siteConfig properties ARM rejects or ignores on Flex Consumption ("Flex Consumption plan deprecations" in the
# Functions app settings reference; ftpsState and linuxFxVersion fail the deployment with "... for Flex
# Consumption sites is invalid"). Runtime, scale and concurrency live in functionAppConfig instead.
FLEX_REJECTED_SITE_CONFIG = {
    "ftpsState",
    "linuxFxVersion",
    "windowsFxVersion",
    "alwaysOn",
    "functionAppScaleLimit",
    "minimumElasticInstanceCount",
    "preWarmedInstanceCount",
    "numberOfWorkers",
    "netFrameworkVersion",
    "javaVersion",
    "powerShellVersion",
    "use32BitWorkerProcess",
}
FLEX_REJECTED_APP_SETTINGS = {
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_EXTENSION_VERSION",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY",
    "PYTHON_THREADPOOL_THREAD_COUNT",
    "WEBSITE_RUN_FROM_PACKAGE",
    "WEBSITE_CONTENTSHARE",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "ENABLE_ORYX_BUILD",
    "WEBSITE_TIME_ZONE",
}
# Microsoft's fine-tuning model table (Standard = regional deployment) for the current base models.
DOCUMENTED_STANDARD_REGIONS = {
    "gpt-4o-mini-2024-07-18": ["northcentralus", "swedencentral"],
    "gpt-4o-2024-08-06": ["eastus2", "northcentralus", "swedencentral"],
    "gpt-4.1-2025-04-14": ["northcentralus", "swedencentral"],
    "gpt-4.1-mini-2025-04-14": ["northcentralus", "swedencentral"],
    "gpt-4.1-nano-2025-04-14": ["northcentralus", "swedencentral"],
}
ROLE_NAMES = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
    "76199698-9eea-4c19-bc75-cec21354c6b6": "Storage Table Data Reader",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
    "43d0d8ad-25c7-4714-9337-8ba259a9fe05": "Monitoring Reader",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "a001fd3d-188f-4b5d-821b-7da978bf7442": "Cognitive Services OpenAI Contributor",
}


def decorator(param, kind):
    return next((item["argument"] for item in param.get("decorators", []) if item["type"] == kind), None)


def site(parsed, body_of):
    return body_of(parsed["modules/functionapp.bicep"]["resources"]["app"])["properties"]


# 1. Flex Consumption site configuration


def test_the_site_sets_nothing_flex_consumption_rejects(parsed, body_of):
    site_config = site(parsed, body_of)["siteConfig"]
    assert not FLEX_REJECTED_SITE_CONFIG & set(site_config), "Flex rejects these siteConfig properties"
    settings = parsed["modules/functionapp.bicep"]["variables"]["appSettings"]["value"]
    assert not FLEX_REJECTED_APP_SETTINGS & set(settings), "Flex rejects these app settings"


def test_the_ftps_check_is_skipped_inline_with_the_flex_reason():
    text = (INFRA / "modules" / "functionapp.bicep").read_text(encoding="utf-8")
    skip = re.search(r"checkov:skip=CKV_AZURE_78: (.+)", text)
    assert skip and "Flex" in skip.group(1), "ftpsState cannot be set on Flex: say so where the check is skipped"


# 2. azd version and placeholder defaults


def test_azure_yaml_requires_an_azd_that_omits_unset_variables_and_sets_the_principal_type():
    project = yaml.safe_load((ROOT / "azure.yaml").read_text(encoding="utf-8"))
    required = SpecifierSet(project["requiredVersions"]["azd"].replace(" ", ""))
    assert not required.contains(Version("1.14.0")), "azd < 1.15 passes unset variables as literal text"
    assert not required.contains(Version("1.17.0")), "azd < 1.17.1 does not set AZURE_PRINCIPAL_TYPE"
    assert required.contains(Version("1.18.0"))


def test_every_optional_placeholder_has_a_default(parameters_file, main):
    for name, entry in parameters_file.items():
        value = entry["value"]
        if not isinstance(value, str):
            continue
        for match in AZD_PLACEHOLDER.finditer(value):
            if match.group("name") in ALWAYS_SET_BY_AZD:
                continue
            assert match.group("default") is not None, f"{name}: {value} has no ${{VAR=default}} default"
            default = match.group("default")[1:]
            declared = main["parameters"][name].get("default")
            assert declared is None or default == declared, f"{name}: {default!r} differs from main.bicep's {declared!r}"


# 3. Model, region and deployment type


def test_the_openai_region_is_chosen_not_inherited_from_the_flex_region(main, parsed, body_of):
    param = main["parameters"]["openAiLocation"]
    allowed = set(decorator(param, "allowed") or [])
    assert param["default"] in allowed and param["default"], "a default where the current models deploy"
    assert body_of(main["modules"]["openAi"])["params"]["location"] == "openAiLocation", "no fallback to location"
    global_regions = parsed["modules/openai.bicep"]["variables"]["globalRegions"]["value"]
    assert allowed == set(global_regions) | {r for regions in DOCUMENTED_STANDARD_REGIONS.values() for r in regions}
    assert "northcentralus" in param["decorators"][0]["argument"], "the description names where Standard works"


def test_the_placement_table_is_microsofts_and_covers_the_fine_tunable_models(parsed):
    quoted = parsed["modules/openai.bicep"]["variables"]["standardRegions"]["value"]
    table = {key.strip("'"): regions for key, regions in quoted.items()}
    assert table == DOCUMENTED_STANDARD_REGIONS
    assert {model.model_id for model in FINE_TUNABLE.values()} == set(table), "one list of current base models"


def test_a_misplaced_account_fails_with_advice_before_anything_is_deployed(parsed, body_of):
    template = parsed["modules/openai.bicep"]
    tags = json.dumps(body_of(template["resources"]["account"])["tags"])
    lookup = {"type": "index_accessor", "operands": {"operand_1": "placementGate", "operand_2": "placementVerdict"}}
    assert json.dumps(lookup) in tags, "a tag is looked up under the verdict: a misfit fails with the advice as key"
    variables = template["variables"]
    assert variables["placementGate"]["value"] == {"fits": "deploymentSkuName"}
    verdict = json.dumps(variables["placementVerdict"]["value"])
    assert "placementFits" in verdict and "placementAdvice" in verdict
    advice = json.dumps(variables["standardAdvice"]["value"]) + json.dumps(variables["globalAdvice"]["value"])
    assert "AZURE_OPENAI_LOCATION" in advice and "GlobalStandard" in advice, "the failure says what to choose"


# 4. The comment on how to deploy


def test_main_bicep_does_not_claim_the_cli_fills_azd_placeholders():
    text = (INFRA / "main.bicep").read_text(encoding="utf-8")
    assert not re.search(r"az deployment[^\n]*with main\.parameters\.json", text)
    assert "only azd" in text


# 5. Outputs named as the CLI reads them


def test_azd_env_values_give_finetune_deploy_everything_it_needs(main):
    outputs = {name: f"value-of-{name}" for name in main["outputs"]}
    assert "AZURE_OPENAI_ACCOUNT" in outputs and "AZURE_OPENAI_ACCOUNT_NAME" not in outputs
    outputs |= {  # what a first `azd up` leaves, before any model is deployed
        "AZURE_OPENAI_ACCOUNT": "bestdev-openai",
        "AZURE_OPENAI_ENDPOINT": "",
        "AZURE_OPENAI_DEPLOYMENT": "",
        "AZURE_OPENAI_ACCOUNT_ENDPOINT": "https://bestdev-openai.openai.azure.com/",
        "AZURE_OPENAI_DEPLOYMENT_SKU": "Standard",
        "AZURE_OPENAI_DEPLOYMENT_CAPACITY": "50",
        "BESTDEV_MODEL_API": "chat",
        "BESTDEV_FALLBACK": "local",
        "BESTDEV_LOG_DESCRIPTIONS": "false",
        "BESTDEV_KEEP_ALIVE_DAYS": "7",
        "BESTDEV_FEEDBACK_STORE": "azure-tables",
        "BESTDEV_FEEDBACK_TABLE_ENDPOINT": "https://stbestdev.table.core.windows.net/",
        "BESTDEV_FEEDBACK_TABLE": "feedback",
        "BESTDEV_FEEDBACK_DAYS": "30",
        "BESTDEV_FUNCTION_AUTH_LEVEL": "anonymous",
        "BESTDEV_REQUIRED_ROLE": "BestDev.User",
        "BESTDEV_POOL_URL": "https://stbestdev.blob.core.windows.net/pool",
    }
    settings = load_training_settings(**outputs)
    target = DeploymentTarget.from_settings(settings)  # raises, naming what is missing
    assert target.account == "bestdev-openai"
    assert settings.azure_openai_account_endpoint, "the fine-tuning commands reach the account before a deployment"


# 6. Least privilege


def assigned_roles(parsed, body_of):
    roles = parsed["modules/roles.bicep"]
    ids = {name: var["value"] for name, var in roles["variables"].items() if isinstance(var["value"], str)}
    found: dict[str, set[str]] = {"app": set(), "user": set()}
    for assignment in roles["resources"].values():
        if assignment["type"] != "Microsoft.Authorization/roleAssignments":
            continue
        properties = body_of(assignment)["properties"]
        role = ids[properties["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]]
        who = "app" if properties["principalId"] == "appPrincipalId" else "user"
        found[who].add(ROLE_NAMES[role])
    return found


def test_the_app_gets_only_the_data_roles_it_uses(parsed, body_of):
    assert assigned_roles(parsed, body_of)["app"] == {
        "Storage Blob Data Owner",  # an HTTP (and timer) host uses blobs only, as Microsoft's HTTP quickstart grants
        "Monitoring Metrics Publisher",
        "Cognitive Services OpenAI User",
        "Monitoring Reader",  # the keep-alive timer reads the account's request metrics
        "Storage Table Data Contributor",  # the feedback table only (tests/infra/test_bicep_feedback.py)
        "Storage Blob Data Reader",  # the pool container only (tests/infra/test_bicep_pool.py)
    }


def test_the_deploying_person_gets_only_what_fine_tuning_and_local_runs_need(parsed, body_of):
    assert assigned_roles(parsed, body_of)["user"] == {
        "Cognitive Services OpenAI Contributor",
        "Storage Table Data Reader",  # `bestdev feedback export` from the feedback table only
        "Storage Blob Data Contributor",  # `bestdev pool publish` to the pool container only
    }


def test_the_openai_account_has_no_unused_identity(parsed, body_of):
    assert "identity" not in body_of(parsed["modules/openai.bicep"]["resources"]["account"])


def test_the_storage_connection_names_its_endpoint(parsed):
    settings = parsed["modules/functionapp.bicep"]["variables"]["appSettings"]["value"]
    assert settings["AzureWebJobsStorage__blobServiceUri"] == "storageBlobEndpoint"
    assert "AzureWebJobsStorage__accountName" not in settings, "accountName assumes the public cloud's suffix"


# 7. HTTP concurrency per instance


def test_http_concurrency_per_instance_is_a_measured_parameter(main, parsed, body_of, parameters_file):
    param = main["parameters"]["httpPerInstanceConcurrency"]
    assert param["default"] >= 16, "the app is async and mostly waits on the model: far above Python's default of 1"
    assert decorator(param, "min_value") == 1 and decorator(param, "max_value") == 1000
    assert body_of(main["modules"]["functionApp"])["params"]["httpPerInstanceConcurrency"] == "httpPerInstanceConcurrency"
    scale = site(parsed, body_of)["functionAppConfig"]["scaleAndConcurrency"]
    assert scale["triggers"]["http"]["perInstanceConcurrency"] == "httpPerInstanceConcurrency"
    assert parameters_file["httpPerInstanceConcurrency"]["value"] == param["default"]
