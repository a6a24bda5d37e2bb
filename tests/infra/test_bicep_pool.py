"""The published pool's container: provisioned in the storage account infra/ creates, read by the app's identity
and written by the deploying person, each with one data role on that container alone, and named in the app
settings (BESTDEV_POOL_URL) and the azd outputs `bestdev pool publish` reads."""

from __future__ import annotations

import json

BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"


def test_the_pool_container_lives_in_the_storage_account(parsed, body_of):
    template = parsed["modules/storage.bicep"]
    container = template["resources"]["poolContainer"]
    assert container["type"] == "Microsoft.Storage/storageAccounts/blobServices/containers"
    assert body_of(container)["parent"] == "blobServices"
    assert body_of(container)["name"] == "poolContainerName"
    assert body_of(container)["properties"]["publicAccess"] == "None"
    assert template["parameters"]["poolContainerName"]["default"] == "pool"
    assert "poolContainer" in json.dumps(template["outputs"]["poolContainerName"])


def test_the_app_reads_the_pool_container_alone(parsed, body_of):
    roles = parsed["modules/roles.bicep"]
    assert roles["variables"]["storageBlobDataReader"]["value"] == BLOB_DATA_READER
    container = roles["resources"]["poolContainer"]
    assert container["existing"] is True
    assert body_of(container)["name"] == "poolContainerName"
    assert roles["parameters"]["poolContainerName"]["default"] == parsed["modules/storage.bicep"]["parameters"][
        "poolContainerName"
    ]["default"]
    assignment = body_of(roles["resources"]["appPoolReader"])
    assert assignment["scope"] == "poolContainer", "the container, not the whole account"
    assert assignment["properties"]["principalId"] == "appPrincipalId"
    assert "storageBlobDataReader" in json.dumps(assignment["properties"]["roleDefinitionId"])


def test_the_deploying_person_publishes_to_the_pool_container_alone(parsed, body_of):
    roles = parsed["modules/roles.bicep"]
    assert roles["variables"]["storageBlobDataContributor"]["value"] == BLOB_DATA_CONTRIBUTOR
    writer = roles["resources"]["userPoolContributor"]
    assert "userPrincipalId" in json.dumps(writer["config"]["condition"]), "no deploying person, no assignment"
    assignment = body_of(writer)
    assert assignment["scope"] == "poolContainer"
    assert assignment["properties"]["principalId"] == "userPrincipalId"
    assert "storageBlobDataContributor" in json.dumps(assignment["properties"]["roleDefinitionId"])


def test_the_app_and_azd_know_where_the_pool_is_published(parsed, main):
    settings = parsed["modules/functionapp.bicep"]["variables"]["appSettings"]["value"]
    assert "storageBlobEndpoint" in json.dumps(settings["BESTDEV_POOL_URL"])
    assert "pool" in json.dumps(settings["BESTDEV_POOL_URL"])
    output = json.dumps(main["outputs"]["BESTDEV_POOL_URL"])
    assert "blobEndpoint" in output and "poolContainerName" in output
