"""The feedback table: provisioned in the storage account infra/ creates, reached keyless by the app's identity
with the one data role it needs, and named in the app settings the feedback store reads."""

from __future__ import annotations

import json

from bestdev.settings import load_settings

TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
TABLE_DATA_READER = "76199698-9eea-4c19-bc75-cec21354c6b6"


def test_the_feedback_table_lives_in_the_storage_account(parsed, body_of):
    template = parsed["modules/storage.bicep"]
    services = template["resources"]["tableServices"]
    table = template["resources"]["feedbackTable"]
    assert services["type"] == "Microsoft.Storage/storageAccounts/tableServices"
    assert body_of(services)["parent"] == "storage"
    assert body_of(services)["name"] == "default"
    assert table["type"] == "Microsoft.Storage/storageAccounts/tableServices/tables"
    assert body_of(table)["parent"] == "tableServices"
    assert body_of(table)["name"] == "feedbackTableName"
    assert template["parameters"]["feedbackTableName"]["default"] == "feedback"
    outputs = template["outputs"]
    assert "primaryEndpoints" in json.dumps(outputs["tableEndpoint"]) and "table" in json.dumps(outputs["tableEndpoint"])


def test_the_app_identity_has_storage_table_data_contributor_on_the_feedback_table_alone(parsed, main, body_of):
    roles = parsed["modules/roles.bicep"]
    assert roles["variables"]["storageTableDataContributor"]["value"] == TABLE_DATA_CONTRIBUTOR
    table = roles["resources"]["feedbackTable"]
    assert table["type"] == "Microsoft.Storage/storageAccounts/tableServices/tables"
    assert table["existing"] is True
    assert body_of(table)["name"] == "feedbackTableName"
    assignment = body_of(roles["resources"]["appFeedbackTable"])
    assert assignment["scope"] == "feedbackTable", "the table, not the whole account"
    assert assignment["properties"]["principalId"] == "appPrincipalId"
    assert "storageTableDataContributor" in json.dumps(assignment["properties"]["roleDefinitionId"])
    assert "feedbackTableName" in json.dumps(body_of(main["modules"]["roles"])["params"]["feedbackTableName"])


def test_the_deploying_person_may_read_the_feedback_table_to_export_it(parsed, body_of):
    roles = parsed["modules/roles.bicep"]
    assert roles["variables"]["storageTableDataReader"]["value"] == TABLE_DATA_READER
    reader = roles["resources"]["userFeedbackReader"]
    assert "userPrincipalId" in json.dumps(reader["config"]["condition"]), "no deploying person, no assignment"
    assert body_of(reader)["scope"] == "feedbackTable"


def test_the_app_is_configured_for_the_table_store(parsed, main, body_of):
    settings = parsed["modules/functionapp.bicep"]["variables"]["appSettings"]["value"]
    assert settings["BESTDEV_FEEDBACK_STORE"] == "azure-tables"
    assert settings["BESTDEV_FEEDBACK_TABLE_ENDPOINT"] == "feedbackTableEndpoint"
    assert settings["BESTDEV_FEEDBACK_TABLE"] == "feedbackTableName"
    assert "feedbackDays" in json.dumps(settings["BESTDEV_FEEDBACK_DAYS"])
    params = body_of(main["modules"]["functionApp"])["params"]
    assert "tableEndpoint" in json.dumps(params["feedbackTableEndpoint"])
    assert "feedbackTableName" in json.dumps(params["feedbackTableName"])
    assert params["feedbackDays"] == "feedbackDays"


def test_those_settings_are_valid_for_the_app():
    settings = load_settings(
        BESTDEV_FEEDBACK_STORE="azure-tables",
        BESTDEV_FEEDBACK_TABLE_ENDPOINT="https://stexample.table.core.windows.net/",
        BESTDEV_FEEDBACK_TABLE="feedback",
        BESTDEV_FEEDBACK_DAYS="30",
    )
    assert settings.feedback_store == "azure-tables"
