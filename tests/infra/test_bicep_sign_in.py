"""Sign-in as deployed, read from the parsed Bicep: App Service authentication in front of every path but the probe,
an app registration whose role must be assigned, the app checking that role too, and the platform's CORS; and the
Azure-front double (tests/fakes/azure_front.py) configured like it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bestdev.api.app import create_app
from bestdev.api.role_gate import OPEN_PATHS, api_paths
from bestdev.settings import Settings
from tests.fakes.azure_front import AzureFront, azure_front

INFRA = Path(__file__).resolve().parents[2] / "infra"
ROLE = "BestDev.User"


def easy_auth(parsed, body_of):
    return body_of(parsed["modules/auth.bicep"]["resources"]["authSettings"])["properties"]


def excluded_paths(parsed, body_of) -> list[str]:
    validation = easy_auth(parsed, body_of)["globalValidation"]
    assert validation["excludedPaths"] == "apiPaths"
    return list(parsed["modules/auth.bicep"]["variables"]["apiPaths"]["value"])


def test_people_are_sent_to_sign_in_and_the_api_paths_are_left_to_the_app(parsed, body_of):
    settings = easy_auth(parsed, body_of)
    assert settings["platform"]["enabled"] is True
    assert settings["httpSettings"]["requireHttps"] is True
    validation = settings["globalValidation"]
    assert validation["requireAuthentication"] is True
    assert validation["unauthenticatedClientAction"] == "RedirectToLoginPage"
    assert validation["redirectToProvider"] == "azureactivedirectory"
    # every path a program calls, and only those: the app answers them with 401 (its role check), not a redirect
    assert excluded_paths(parsed, body_of) == api_paths(create_app(Settings()))
    assert set(excluded_paths(parsed, body_of)) >= OPEN_PATHS


def test_tokens_are_checked_for_audience_issuer_and_client(parsed, body_of):
    entra = easy_auth(parsed, body_of)["identityProviders"]["azureActiveDirectory"]
    assert entra["enabled"] is True
    assert entra["registration"]["clientId"] == "clientId"
    assert entra["registration"]["openIdIssuer"].endswith("${tenant().tenantId}/v2.0")
    assert entra["validation"]["allowedAudiences"] == ["clientId", "api://${clientId}"]
    allowed = entra["validation"]["defaultAuthorizationPolicy"]["allowedApplications"]["function"]
    assert allowed["type"] == "union"
    assert allowed["parameters"]["arg_1"] == ["clientId"], "the registration itself: the page's sign-in"
    assert allowed["parameters"]["arg_2"] == "allowedClientApplications"


def test_the_registration_has_one_role_whose_assignment_is_required(parsed, body_of):
    entra = parsed["modules/entra.bicep"]
    assert "microsoftGraphV1" in entra["extensions"]
    resources = entra["resources"]
    registration = body_of(resources["registration"])
    assert registration["uniqueName"] == "registrationName", "a stable name: redeploying reuses the registration"
    assert registration["signInAudience"] == "AzureADMyOrg"
    [role] = registration["appRoles"]
    assert entra["variables"]["roleValue"]["value"] == ROLE
    assert role["value"] == "roleValue"
    assert role["allowedMemberTypes"] == ["User", "Application"]  # people (and groups) and services
    assert registration["web"]["redirectUris"] == ["https://${appHostName}/.auth/login/aad/callback"]
    assert registration["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
    assert registration["api"]["requestedAccessTokenVersion"] == 2
    principal = body_of(resources["servicePrincipal"])
    assert principal["appRoleAssignmentRequired"] is True
    assignment = resources["deployerAssignment"]
    assert "condition" in assignment["config"]
    assert body_of(assignment)["appRoleId"] == "roleId"
    assert not any("secret" in json.dumps(body_of(item)).lower() for item in resources.values())


def test_the_graph_extension_is_pinned(parsed):
    config = json.loads((INFRA / "bicepconfig.json").read_text(encoding="utf-8"))
    reference = config["extensions"]["microsoftGraphV1"]
    assert reference.startswith("br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:")
    assert reference.rsplit(":", 1)[1][0].isdigit()


def test_signing_in_is_the_default_and_makes_the_function_anonymous_and_the_app_check_the_role(
    main, parameters_file, body_of
):
    assert main["parameters"]["authentication"]["default"] == "entra"
    assert parameters_file["authentication"]["value"] == "${BESTDEV_AUTHENTICATION=entra}"
    params = body_of(main["modules"]["functionApp"])["params"]
    level = params["functionAuthLevel"]["operator"]["operands"]
    assert (level["condition"], level["true_value"], level["false_value"]) == ("signIn", "anonymous", "function")
    role = params["requiredRole"]["operator"]["operands"]
    assert (role["condition"], role["true_value"], role["false_value"]) == ("signIn", ROLE, "")
    assert main["modules"]["auth"]["config"]["condition"] == "signIn"
    assert "BESTDEV_SIGN_IN_URL" in main["outputs"]
    assert "BESTDEV_ENTRA_CLIENT_ID" not in main["outputs"], "azd would feed it back as an existing registration"


def test_the_platform_answers_cors_from_the_same_setting(parsed, body_of, parameters_file):
    functionapp = parsed["modules/functionapp.bicep"]
    cors = body_of(functionapp["resources"]["app"])["properties"]["siteConfig"]["cors"]
    assert cors["allowedOrigins"] == "allowedOrigins"
    assert "corsOrigins" in json.dumps(functionapp["variables"]["allowedOrigins"])
    assert "BESTDEV_CORS_ORIGINS" not in functionapp["variables"]["appSettings"]["value"], "one CORS: the host's"
    assert parameters_file["corsOrigins"]["value"] == "${BESTDEV_CORS_ORIGINS=}"


def test_the_azure_front_double_is_configured_like_the_deployment(parsed, body_of):
    validation = easy_auth(parsed, body_of)["globalValidation"]
    defaults = {field.name: field.default for field in dataclasses.fields(AzureFront)}
    assert defaults["unauthenticated_action"] == validation["unauthenticatedClientAction"]
    app = create_app(Settings())
    with azure_front(app) as (front, _):
        assert list(front.excluded_paths) == excluded_paths(parsed, body_of)
    assert defaults["auth_level"] == "anonymous"
