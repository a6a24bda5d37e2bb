"""What the service says about its models: the data-plane models list, with each model's capabilities and its
fine-tuning and inference retirement dates (GET /openai/models on Azure OpenAI)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openai
from openai import AsyncOpenAI
from pydantic import BaseModel, ConfigDict, Field

from bestdev.errors import ServiceError


class CatalogError(ServiceError, RuntimeError):
    """The models list could not be had, or the service cannot fine-tune the model asked for."""


def service_message(error: BaseException) -> str:
    """The service's own message for a refused request, without the SDK's wrapping."""
    if isinstance(error, openai.APIStatusError) and isinstance(error.body, dict):
        message = error.body.get("message")
        if isinstance(message, str) and message:
            return f"{message} (HTTP {error.status_code})"
    return str(error)


class Capabilities(BaseModel):
    model_config = ConfigDict(extra="ignore")

    fine_tune: bool = False
    inference: bool = False
    chat_completion: bool = False
    completion: bool = False


class Deprecation(BaseModel):
    """Unix times after which the model can no longer be fine-tuned / called."""

    model_config = ConfigDict(extra="ignore")

    fine_tune: int | None = None
    inference: int | None = None


class ServiceModel(BaseModel):
    """One entry of the models list. A fine-tuned model names its base in `model` and its job in `fine_tune`."""

    model_config = ConfigDict(extra="ignore")

    id: str
    capabilities: Capabilities | None = None
    deprecation: Deprecation = Field(default_factory=Deprecation)
    lifecycle_status: str | None = None
    model: str | None = None
    fine_tune: str | None = None

    @property
    def is_fine_tuned(self) -> bool:
        return bool(self.fine_tune or self.model)

    @property
    def fine_tuning_retires(self) -> date | None:
        return _day(self.deprecation.fine_tune)

    @property
    def inference_retires(self) -> date | None:
        return _day(self.deprecation.inference)

    def can_fine_tune(self, today: date) -> bool:
        retires = self.fine_tuning_retires
        return bool(self.capabilities and self.capabilities.fine_tune) and (retires is None or retires > today)


class ModelCatalog(BaseModel):
    """The account's models, as listed on one day."""

    models: list[ServiceModel]

    def find(self, model_id: str) -> ServiceModel | None:
        return next((model for model in self.models if model.id == model_id), None)

    @property
    def describes_capabilities(self) -> bool:
        """False for services that list bare ids (OpenAI-compatible servers): nothing to check against."""
        return any(model.capabilities is not None for model in self.models)

    def fine_tunable(self, today: date) -> list[ServiceModel]:
        """Base models that can be fine-tuned today, by id."""
        found = [model for model in self.models if not model.is_fine_tuned and model.can_fine_tune(today)]
        return sorted(found, key=lambda model: model.id)

    def check_base(self, model_id: str, today: date) -> None:
        """Raises CatalogError, naming the alternatives, unless the service can fine-tune `model_id` today."""
        if not self.describes_capabilities:
            return
        model = self.find(model_id)
        if model is not None and model.can_fine_tune(today):
            return
        if model is None:
            reason = f"the service lists no model {model_id!r}"
        elif not (model.capabilities and model.capabilities.fine_tune):
            reason = f"the service cannot fine-tune {model_id}"
        else:
            reason = f"fine-tuning {model_id} retired on {model.fine_tuning_retires}"
        choices = ", ".join(model.id for model in self.fine_tunable(today)) or "none in this account's region"
        raise CatalogError(f"{reason}; fine-tunable here today: {choices} (`bestdev finetune models`)")

    def inference_retirement(self, model_id: str) -> tuple[str, date] | None:
        """When a deployed model stops answering: its own inference date, else its base model's."""
        model = self.find(model_id)
        if model is None:
            return None
        if model.inference_retires is not None:
            return model.id, model.inference_retires
        base = self.find(model.model) if model.model else None
        if base is not None and base.inference_retires is not None:
            return base.id, base.inference_retires
        return None


async def list_models(client: AsyncOpenAI) -> ModelCatalog:
    """Every model the account can use, with capabilities and retirement dates where the service gives them."""
    try:
        page = await client.models.list()
    except openai.OpenAIError as error:
        raise CatalogError(f"could not list the service's models: {service_message(error)}") from error
    return ModelCatalog(models=[ServiceModel.model_validate(model.model_dump()) for model in page.data])


def today() -> date:
    return datetime.now(UTC).date()


def _day(timestamp: int | None) -> date | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC).date()
