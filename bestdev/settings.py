"""The one settings object: read once from the environment (and local.settings.json when serving locally)."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bestdev.errors import BestDevError, describe_validation

DEFAULT_API_VERSION = "2024-10-21"
DEFAULT_MANAGEMENT_ENDPOINT = "https://management.azure.com"
DEFAULT_FEEDBACK_STORE = "sqlite:///.bestdev/feedback.sqlite3"  # relative to where `bestdev serve` runs


class SettingsError(BestDevError, ValueError):
    """A setting is missing or invalid; the message names the variable."""


class Settings(BaseSettings):
    """Every setting BestDev reads. Field aliases are the environment variable names."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    azure_openai_endpoint: str | None = Field(None, validation_alias="AZURE_OPENAI_ENDPOINT")
    azure_openai_deployment: str | None = Field(None, validation_alias="AZURE_OPENAI_DEPLOYMENT")
    azure_openai_api_key: SecretStr | None = Field(None, validation_alias="AZURE_OPENAI_API_KEY")
    azure_openai_api_version: str = Field(DEFAULT_API_VERSION, validation_alias="AZURE_OPENAI_API_VERSION")
    azure_client_id: str | None = Field(None, validation_alias="AZURE_CLIENT_ID")

    model_api: Literal["chat", "completions"] = Field("chat", validation_alias="BESTDEV_MODEL_API")
    model_provider: Literal["azure", "openai-compatible"] = Field("azure", validation_alias="BESTDEV_MODEL_PROVIDER")
    model_timeout_seconds: float = Field(8.0, gt=0, validation_alias="BESTDEV_MODEL_TIMEOUT")
    model_max_retries: int = Field(2, ge=0, le=10, validation_alias="BESTDEV_MODEL_MAX_RETRIES")
    request_deadline_seconds: float = Field(12.0, gt=0, validation_alias="BESTDEV_REQUEST_DEADLINE")
    # The longest completion in the training data is 41-44 tokens (`bestdev dataset build`, o200k_base, stop token
    # included); Azure counts max_tokens against the deployment's tokens per minute when a request arrives.
    model_max_tokens: int = Field(64, ge=16, le=4096, validation_alias="BESTDEV_MODEL_MAX_TOKENS")
    model_max_connections: int = Field(256, ge=1, validation_alias="BESTDEV_MODEL_MAX_CONNECTIONS")
    fallback: Literal["local", "none"] = Field("local", validation_alias="BESTDEV_FALLBACK")
    # What answers name as their backend when the model answers: a model served locally is not Azure OpenAI.
    model_backend: Literal["azure-openai", "local-model"] = Field(
        "azure-openai", validation_alias="BESTDEV_MODEL_BACKEND"
    )
    breaker_failures: int = Field(3, ge=1, le=100, validation_alias="BESTDEV_MODEL_BREAKER_FAILURES")
    breaker_seconds: float = Field(10.0, gt=0, le=3600, validation_alias="BESTDEV_MODEL_BREAKER_SECONDS")

    pool_path: Path | None = Field(None, validation_alias="BESTDEV_POOL")
    # The published pool: the `pool` container's URL (the app reads its newest version; `pool publish` writes one).
    pool_url: str | None = Field(None, validation_alias="BESTDEV_POOL_URL")
    # How often the app looks for a newer pool (the published one, or a changed BESTDEV_POOL file); 0: never.
    pool_check_seconds: float = Field(300.0, ge=0, le=86400, validation_alias="BESTDEV_POOL_CHECK_SECONDS")
    # With a fine-tuned model: the share of the live pool new to the model (or with changed skills) above which the
    # logs warn, once a day, that it is time to retrain.
    pool_drift_share: float = Field(0.2, ge=0, le=1, validation_alias="BESTDEV_POOL_DRIFT_SHARE")
    # The dataset.json the deployed model was trained from (its pool's fingerprint); unset: the pool container's
    # trained.json (`bestdev pool trained`), when BESTDEV_POOL_URL is set.
    trained_pool: Path | None = Field(None, validation_alias="BESTDEV_TRAINED_POOL")
    # Texts the real-text benchmark points into (`bestdev eval --real-text`); None: ../shared/data/real-text
    real_text_dir: Path | None = Field(None, validation_alias="BESTDEV_REAL_TEXT_DIR")
    # Who may call, in Azure: the Functions host's auth level for the HTTP function (anonymous behind App Service
    # authentication; function: a function key, for service callers only, when that is off), and the app role the
    # app itself requires in X-MS-CLIENT-PRINCIPAL (empty: no check, e.g. `make run`).
    function_auth_level: Literal["anonymous", "function"] = Field(
        "function", validation_alias="BESTDEV_FUNCTION_AUTH_LEVEL"
    )
    required_role: str | None = Field(
        None, pattern=r"^[A-Za-z0-9._-]{1,120}$", validation_alias="BESTDEV_REQUIRED_ROLE"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, validation_alias="BESTDEV_CORS_ORIGINS")
    max_body_bytes: int = Field(64 * 1024, ge=1024, validation_alias="BESTDEV_MAX_BODY_BYTES")
    log_descriptions: bool = Field(False, validation_alias="BESTDEV_LOG_DESCRIPTIONS")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", validation_alias="BESTDEV_LOG_LEVEL")

    # Feedback (/api/feedback): where answers and decisions are kept, and for how long.
    feedback_store: str = Field(DEFAULT_FEEDBACK_STORE, validation_alias="BESTDEV_FEEDBACK_STORE")
    feedback_days: int = Field(30, ge=1, le=3650, validation_alias="BESTDEV_FEEDBACK_DAYS")
    feedback_table_endpoint: str | None = Field(None, validation_alias="BESTDEV_FEEDBACK_TABLE_ENDPOINT")
    feedback_table: str = Field(
        "feedback", pattern=r"^[A-Za-z][A-Za-z0-9]{2,62}$", validation_alias="BESTDEV_FEEDBACK_TABLE"
    )

    @field_validator("pool_url")
    @classmethod
    def _pool_url_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("BESTDEV_POOL_URL must be the pool container's https:// URL")
        return value

    @model_validator(mode="after")
    def _feedback_store_known(self) -> Settings:
        store = self.feedback_store
        if store == "azure-tables":
            if not self.feedback_table_endpoint or not self.feedback_table_endpoint.startswith("https://"):
                raise ValueError(
                    "BESTDEV_FEEDBACK_TABLE_ENDPOINT must be the storage account's https:// table endpoint "
                    "when BESTDEV_FEEDBACK_STORE is azure-tables"
                )
        elif not store.startswith("sqlite:///") or store == "sqlite:///":
            raise ValueError("BESTDEV_FEEDBACK_STORE must be sqlite:///PATH or azure-tables")
        return self

    @model_validator(mode="after")
    def _anonymous_only_behind_a_role_check(self) -> Settings:
        if self.function_auth_level == "anonymous" and not self.required_role:
            raise ValueError(
                "BESTDEV_FUNCTION_AUTH_LEVEL=anonymous needs BESTDEV_REQUIRED_ROLE: without a function key, the app "
                "checks the app role App Service authentication passes on, so one mistake does not open the API"
            )
        return self

    @field_validator("function_auth_level", mode="before")
    @classmethod
    def _lower_level(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    # Where the fine-tuned model is deployed (`bestdev finetune deploy`); the API itself never reads these.
    azure_management_endpoint: str = Field(DEFAULT_MANAGEMENT_ENDPOINT, validation_alias="AZURE_MANAGEMENT_ENDPOINT")
    azure_subscription_id: str | None = Field(None, validation_alias="AZURE_SUBSCRIPTION_ID")
    azure_resource_group: str | None = Field(None, validation_alias="AZURE_RESOURCE_GROUP")
    azure_openai_account: str | None = Field(None, validation_alias="AZURE_OPENAI_ACCOUNT")
    # The account's own endpoint (an azd output): the finetune commands use it while AZURE_OPENAI_ENDPOINT is empty.
    azure_openai_account_endpoint: str | None = Field(None, validation_alias="AZURE_OPENAI_ACCOUNT_ENDPOINT")

    # The Function App whose settings `finetune deploy|promote|rollback` switch (an azd output).
    azure_function_app_name: str | None = Field(None, validation_alias="AZURE_FUNCTION_APP_NAME")
    # New deployments' type and capacity (thousands of tokens a minute; azd outputs of the Bicep parameters).
    deployment_sku: Literal["Standard", "GlobalStandard", "DeveloperTier"] = Field(
        "Standard", validation_alias="AZURE_OPENAI_DEPLOYMENT_SKU"
    )
    deployment_capacity: int = Field(50, ge=1, le=10_000, validation_alias="AZURE_OPENAI_DEPLOYMENT_CAPACITY")
    # What one deployment of a fine-tuned model costs an hour while it exists, in USD (Standard and GlobalStandard;
    # DeveloperTier has no hosting fee). The list price at the time of writing: check Azure's pricing page.
    hosting_price_per_hour: float = Field(1.70, ge=0, validation_alias="BESTDEV_HOSTING_PRICE_PER_HOUR")

    # The deployed fine-tuned model (retirement warnings) and the keep-alive of its deployment (0: off, the
    # default: keeping an idle deployment alive keeps its hourly fee running).
    fine_tuned_model: str | None = Field(None, validation_alias="BESTDEV_FINE_TUNED_MODEL")
    keep_alive_days: int = Field(0, ge=0, le=14, validation_alias="BESTDEV_KEEP_ALIVE_DAYS")

    # The API needs a deployment to call; the training commands talk to the endpoint before one exists.
    _needs_deployment: ClassVar[bool] = True

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator(
        "azure_openai_endpoint",
        "azure_openai_deployment",
        "azure_openai_api_key",
        "azure_client_id",
        "pool_path",
        "pool_url",
        "trained_pool",
        "real_text_dir",
        "azure_subscription_id",
        "azure_resource_group",
        "azure_openai_account",
        "azure_openai_account_endpoint",
        "azure_function_app_name",
        "fine_tuned_model",
        "feedback_table_endpoint",
        "required_role",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _endpoint_and_deployment_together(self) -> Settings:
        if self.azure_openai_endpoint and not self.azure_openai_deployment and self._needs_deployment:
            raise ValueError("AZURE_OPENAI_DEPLOYMENT must be set when AZURE_OPENAI_ENDPOINT is set")
        if self.azure_openai_deployment and not self.azure_openai_endpoint:
            raise ValueError("AZURE_OPENAI_ENDPOINT must be set when AZURE_OPENAI_DEPLOYMENT is set")
        if self.azure_openai_endpoint and not self.azure_openai_endpoint.startswith(("http://", "https://")):
            raise ValueError("AZURE_OPENAI_ENDPOINT must be an http:// or https:// URL")
        if self.model_provider == "azure" and _plain_http_elsewhere(self.azure_openai_endpoint):
            raise ValueError(
                "AZURE_OPENAI_ENDPOINT must be an https:// URL: a key or token must not travel in clear text "
                "(plain http:// is allowed only on loopback, or with BESTDEV_MODEL_PROVIDER=openai-compatible)"
            )
        return self

    @property
    def model_configured(self) -> bool:
        """True when the fine-tuned model backend is selected."""
        return bool(self.azure_openai_endpoint and self.azure_openai_deployment)


def _plain_http_elsewhere(endpoint: str | None) -> bool:
    """True for an http:// URL whose host is not this machine (127.0.0.0/8, ::1 or localhost)."""
    if not endpoint or not endpoint.lower().startswith("http://"):
        return False
    host = urlsplit(endpoint).hostname or ""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


class TrainingSettings(Settings):
    """The same settings for the fine-tuning commands, where no deployment exists yet. Its validator is built
    when it is first used, so the served app (which never uses it) does not build it at import."""

    model_config = SettingsConfigDict(defer_build=True)
    _needs_deployment: ClassVar[bool] = False


SettingsT = TypeVar("SettingsT", bound=Settings)


def load_settings(local_settings: Path | None = None, **overrides: Any) -> Settings:
    """Read the settings once; a bad or missing value raises SettingsError naming the variable.

    `local_settings` is a local.settings.json whose `Values` apply where the environment has no value,
    as Azure Functions Core Tools would apply them.
    """
    return _load(Settings, local_settings, overrides)


def load_training_settings(local_settings: Path | None = None, **overrides: Any) -> TrainingSettings:
    """Like load_settings, for the training commands: AZURE_OPENAI_DEPLOYMENT is not required."""
    return _load(TrainingSettings, local_settings, overrides)


def _load(kind: type[SettingsT], local_settings: Path | None, overrides: dict[str, Any]) -> SettingsT:
    values = {key: value for key, value in _local_values(local_settings).items() if key not in os.environ}
    try:
        return kind(**{**values, **overrides})
    except ValidationError as error:
        raise SettingsError("invalid settings: " + describe_validation(error)) from None


def _local_values(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        values = json.loads(path.read_text(encoding="utf-8")).get("Values", {})
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not a valid local.settings.json ({error})") from error
    return {key: value for key, value in values.items() if isinstance(value, str)}
