"""The published pool, through Azurite's blob service over HTTPS with OAuth: `bestdev pool publish` keeps every
version, and the app loads the newest at startup and takes each newer one without a redeploy. Keyless: tokens
come from the fake managed identity, as the Function App's identity gives them."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bestdev.api.app import create_app
from bestdev.cli import main
from bestdev.pool import Pool, PoolError, TrainedPool
from bestdev.pool_source.blob import CURRENT, VERSIONS, BlobSource, container, read_trained
from bestdev.settings import load_settings
from tests.fakes.managed_identity import FakeManagedIdentity
from tests.feedback.azurite import Azurite

WAIT_SECONDS = 10.0


def pool_document(number: int) -> dict[str, Any]:
    return {"company": "Acme", "developers": [{"name": f"Gopher {number}", "skills": ["Go"]}]}


@pytest.fixture
def pool_url(
    azurite_blob: Azurite,
    managed_identity: FakeManagedIdentity,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> str:
    """A container of the test's own; the CA bundle trusts Azurite's self-signed certificate."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(azurite_blob.certificate))
    monkeypatch.chdir(tmp_path)  # no local.settings.json of the developer's
    url = f"{azurite_blob.endpoint}/pool{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("BESTDEV_POOL_URL", url)
    return url


def publish(tmp_path: Path, document: object, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(document))
    code = main(["pool", "publish", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def blobs(url: str) -> list[str]:
    from azure.identity import DefaultAzureCredential

    with container(url, DefaultAzureCredential()) as client:
        return sorted(blob.name for blob in client.list_blobs())


def wait_for(client: TestClient, done: Any) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        pool = client.get("/api/health").json()["pool"]
        if done(pool) or time.monotonic() > deadline:
            return pool
        time.sleep(0.05)


def test_publish_keeps_every_version_and_the_app_takes_the_newest(
    pool_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    managed_identity: FakeManagedIdentity,
) -> None:
    first, second = Pool.model_validate(pool_document(1)), Pool.model_validate(pool_document(2))
    code, out = publish(tmp_path, pool_document(1), capsys)
    assert code == 0, out
    assert f"version {first.version}" in out
    assert "https://storage.azure.com" in " ".join(managed_identity.resources)  # a token, never a key

    monkeypatch.setenv("BESTDEV_POOL_CHECK_SECONDS", "0.1")
    with TestClient(create_app(load_settings())) as client:
        health = client.get("/api/health").json()["pool"]
        assert (health["version"], health["source"]) == (first.version, f"{pool_url}/{CURRENT}")
        body = client.post("/api/recommend", json={"description": "A Go service"}).json()
        assert (body["recommendations"][0]["name"], body["pool_version"]) == ("Gopher 1", first.version)

        assert publish(tmp_path, pool_document(2), capsys)[0] == 0
        health = wait_for(client, lambda pool: pool["version"] == second.version)
        assert health["version"] == second.version
        body = client.post("/api/recommend", json={"description": "A Go service"}).json()
        assert (body["recommendations"][0]["name"], body["pool_version"]) == ("Gopher 2", second.version)

        # Written past `pool publish` (which refuses it): never served, and said on /api/health.
        from azure.identity import DefaultAzureCredential

        with container(pool_url, DefaultAzureCredential()) as raw:
            raw.upload_blob(CURRENT, b'{"company": "Acme", "developers": [{"name": "Nobody"}]}', overwrite=True)
        health = wait_for(client, lambda pool: pool["problem"] is not None)
        assert health["version"] == second.version
        assert "developers[0] (Nobody).skills: Field required" in health["problem"]
        assert client.post("/api/recommend", json={"description": "Go"}).json()["pool_version"] == second.version

    names = blobs(pool_url)
    assert CURRENT in names
    kept = [name for name in names if name.startswith(VERSIONS)]
    assert len(kept) == 2
    assert kept[0].endswith(f"-{first.version}.json")
    assert kept[1].endswith(f"-{second.version}.json")


def test_an_invalid_pool_is_never_published(pool_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = publish(tmp_path, {"company": "Acme", "developers": [{"name": "A", "skills": "Go"}]}, capsys)
    assert code == 2
    assert "developers[0] (A).skills" in out
    assert publish(tmp_path, pool_document(1), capsys)[0] == 0
    assert len(blobs(pool_url)) == 2  # the valid one's version and pool.json only


def test_an_app_without_a_published_pool_does_not_start(pool_url: str) -> None:
    app = create_app(load_settings())
    with pytest.raises(PoolError, match=r"no pool is published at .*pool\.json: run `bestdev pool publish`"):
        TestClient(app).__enter__()


def test_publish_needs_an_https_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(pool_document(1)))
    assert main(["pool", "publish", str(path), "--url", "http://example.com/pool"]) == 2
    assert "https:// URL" in capsys.readouterr().err


def test_the_trained_on_pool_is_recorded_beside_the_published_pool(
    pool_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from azure.identity import DefaultAzureCredential

    assert read_trained(pool_url, DefaultAzureCredential()) is None
    trained = Pool.model_validate(pool_document(1))
    dataset = tmp_path / "dataset.json"
    dataset.write_text(json.dumps({"company": "Acme", "trained_pool": TrainedPool.of(trained).model_dump()}))
    assert publish(tmp_path, pool_document(1), capsys)[0] == 0
    assert main(["pool", "trained", str(dataset)]) == 0
    assert f"recorded pool version {trained.version}" in capsys.readouterr().out
    assert read_trained(pool_url, DefaultAzureCredential()) == TrainedPool.of(trained)


def test_an_unchanged_published_pool_is_not_downloaded_again(
    pool_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from azure.identity import DefaultAzureCredential

    assert publish(tmp_path, pool_document(1), capsys)[0] == 0
    source = BlobSource(pool_url, DefaultAzureCredential())
    first = source.fetch(None)
    assert first is not None
    assert Pool.model_validate_json(first.data) == Pool.model_validate(pool_document(1))
    assert source.fetch(first.tag) is None
    assert publish(tmp_path, pool_document(2), capsys)[0] == 0
    second = source.fetch(first.tag)
    assert second is not None
    assert second.tag != first.tag
    source.close()
