"""Shared fixtures: a clean environment, the sample pool, the fake model server and app clients."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from openai import AsyncOpenAI

from bestdev.api.app import create_app
from bestdev.model.client import build_client
from bestdev.pool import Pool, load_pool
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings, load_settings, load_training_settings
from tests.fakes.azure_front import PAGE_ORIGIN, ROLE, SERVICE_CLIENT, AzureFront, azure_front
from tests.fakes.fine_tuning import FakeFineTuning
from tests.fakes.managed_identity import HEADER, FakeManagedIdentity
from tests.fakes.openai_model import FakeModel
from tests.fakes.server import serve_in_thread

if TYPE_CHECKING:
    from tests.feedback.azurite import Azurite

DEPLOYMENT = "bestdev-ft"

# Apps made while modules load or by module-wide fixtures (before clean_environment runs) keep feedback out of
# the working directory too: a database for the whole session, replaced per test below.
SESSION_FEEDBACK = Path(tempfile.mkdtemp(prefix="bestdev-tests-")) / "feedback.sqlite3"
os.environ["BESTDEV_FEEDBACK_STORE"] = f"sqlite:///{SESSION_FEEDBACK}"

# Property tests (hypothesis, schemathesis) explore new inputs on every local run; CI replays a fixed sequence,
# so a build is green or red for its code, not for its luck.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's own Azure or BestDev settings."""
    for name in list(os.environ):
        if name.startswith(("AZURE_", "BESTDEV_")):
            monkeypatch.delenv(name)
    # Feedback goes to a database of the test's own, never to the working directory's default one.
    feedback = tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"
    monkeypatch.setenv("BESTDEV_FEEDBACK_STORE", f"sqlite:///{feedback}")


@pytest.fixture(scope="session")
def pool() -> Pool:
    return load_pool()


@pytest.fixture(scope="session")
def local(pool: Pool) -> LocalRecommender:
    return LocalRecommender(pool)


@pytest.fixture(scope="session")
def fake_model_server() -> Iterator[tuple[FakeModel, str]]:
    fake = FakeModel()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def fake_model(fake_model_server: tuple[FakeModel, str]) -> Iterator[FakeModel]:
    fake, _ = fake_model_server
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture
def fake_model_url(fake_model_server: tuple[FakeModel, str], fake_model: FakeModel) -> str:
    return fake_model_server[1]


@pytest.fixture
def model_settings(fake_model_url: str) -> Callable[..., Settings]:
    """Settings pointing at the fake model; keyword arguments override (by environment variable name)."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "AZURE_OPENAI_ENDPOINT": fake_model_url,
            "AZURE_OPENAI_DEPLOYMENT": DEPLOYMENT,
            "AZURE_OPENAI_API_KEY": "test-key",
            "BESTDEV_MODEL_TIMEOUT": 2,
            "BESTDEV_MODEL_MAX_RETRIES": 1,
            "BESTDEV_REQUEST_DEADLINE": 4,
        }
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def local_client() -> Iterator[TestClient]:
    with TestClient(create_app(load_settings()), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def model_client(model_settings: Callable[..., Settings]) -> Iterator[TestClient]:
    with TestClient(create_app(model_settings()), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def fake_fine_tuning_server() -> Iterator[tuple[FakeFineTuning, str]]:
    fake = FakeFineTuning()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def fake_fine_tuning(fake_fine_tuning_server: tuple[FakeFineTuning, str]) -> Iterator[FakeFineTuning]:
    """The fake fine-tuning service and management endpoint, fresh for each test."""
    fake, _ = fake_fine_tuning_server
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture
def fine_tuning_url(fake_fine_tuning_server: tuple[FakeFineTuning, str], fake_fine_tuning: FakeFineTuning) -> str:
    return fake_fine_tuning_server[1]


@pytest.fixture
async def fine_tuning_client(fine_tuning_url: str) -> AsyncIterator[AsyncOpenAI]:
    """The app's own client (Azure, API key) against the fake; the SDK's retries off so faults reach our code."""
    settings = load_training_settings(
        AZURE_OPENAI_ENDPOINT=fine_tuning_url, AZURE_OPENAI_API_KEY="test-key", BESTDEV_MODEL_MAX_RETRIES=0
    )
    async with build_client(settings) as client:
        yield client


@pytest.fixture
def fine_tuning_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fine_tuning_url: str) -> Path:
    """Settings pointing the finetune commands at the fakes, in a scratch directory (so no developer's
    local.settings.json is read), with placeholder training and validation files."""
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "AZURE_OPENAI_ENDPOINT": fine_tuning_url,
        "AZURE_OPENAI_API_KEY": "test-key",
        "BESTDEV_MODEL_MAX_RETRIES": "0",
        "AZURE_MANAGEMENT_ENDPOINT": fine_tuning_url,
        "AZURE_SUBSCRIPTION_ID": "sub-1",
        "AZURE_RESOURCE_GROUP": "rg-bestdev",
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "train.jsonl").write_text("{}\n")
    (tmp_path / "valid.jsonl").write_text("{}\n")
    return tmp_path


# The feedback store's Azure Tables implementation, against Azurite (tests/feedback and the feedback CLI).
@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    from tests.feedback.azurite import run_azurite  # it imports a helper of tests/api, which imports this module

    with run_azurite(tmp_path_factory.mktemp("azurite")) as running:
        yield running


@pytest.fixture(scope="session")
def azurite_blob(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """Azurite's blob service, as `azurite` is its table service."""
    from tests.feedback.azurite import run_azurite

    with run_azurite(tmp_path_factory.mktemp("azurite-blob"), "blob") as running:
        yield running


@pytest.fixture(scope="session")
def managed_identity_server() -> Iterator[tuple[FakeManagedIdentity, str]]:
    fake = FakeManagedIdentity()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def managed_identity(
    managed_identity_server: tuple[FakeManagedIdentity, str], monkeypatch: pytest.MonkeyPatch
) -> FakeManagedIdentity:
    """DefaultAzureCredential finds the App Service managed identity, as it does in the Function App."""
    fake, url = managed_identity_server
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"{url}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", HEADER)
    fake.resources.clear()
    return fake


@pytest.fixture
def table_settings(azurite: Azurite, managed_identity: FakeManagedIdentity) -> Settings:
    """azure-tables settings for Azurite, with a table of the test's own."""
    return load_settings(
        BESTDEV_FEEDBACK_STORE="azure-tables",
        BESTDEV_FEEDBACK_TABLE_ENDPOINT=azurite.endpoint,
        BESTDEV_FEEDBACK_TABLE=f"feedback{uuid.uuid4().hex[:12]}",
    )


@pytest.fixture
def deployed(local: LocalRecommender) -> Iterator[tuple[AzureFront, str]]:
    """The app behind the Azure-front double as infra/ deploys it: anonymous function, App Service authentication
    (people sent to sign in, the API's paths left to the app's 401, the registration itself and one service
    allowed), the app checking the role, platform CORS for one page origin. Ada has the role; Mallory has none
    (Entra ID refuses her sign-in)."""
    app = create_app(Settings(BESTDEV_REQUIRED_ROLE=ROLE), recommender=local)
    with azure_front(
        app,
        allowed_applications=(AzureFront.client_id, SERVICE_CLIENT),
        cors_origins=(PAGE_ORIGIN,),
        cors_credentials=True,
        people={"Ada": (ROLE,), "Mallory": ()},
    ) as running:
        yield running
