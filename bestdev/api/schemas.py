"""The API contract: request and response bodies, as published at /api/openapi.json."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from bestdev.recommend.base import Outcome

MAX_DESCRIPTION = 4000
MAX_TOP_K = 10

# Some character that str.isspace() rejects, spelled out so every regex engine reads the published schema alike.
HAS_TEXT = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def _trimmed(value: str) -> str:
    """Surrounding whitespace goes; a description of whitespace alone is invalid (as HAS_TEXT says)."""
    trimmed = value.strip()
    if not trimmed:
        raise PydanticCustomError("blank", "must contain text, not only whitespace")
    return trimmed


Description = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=MAX_DESCRIPTION), AfterValidator(_trimmed)
]


def _whole_number(value: object) -> object:
    """JSON Schema counts 3.0 as an integer, so 3.0 is accepted as 3; strings, booleans and 2.5 stay invalid."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


TopK = Annotated[int, BeforeValidator(_whole_number)]


class RecommendRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"description": "A React Native app with Firebase for a coffee chain", "top_k": 3}]
        },
    )

    description: Description = Field(
        description="The project in free text: what it is and the technologies it uses (1-4000 characters).",
        json_schema_extra={"pattern": HAS_TEXT},
    )
    top_k: TopK = Field(3, strict=True, ge=1, le=MAX_TOP_K, description="How many developers to return.")


class RecommendationOut(BaseModel):
    name: str = Field(description="A developer from the pool.")
    title: str | None = Field(None, description="Their title in the pool, if it lists one.")
    reason: str = Field(description="Why they fit, naming only skills the pool lists for them.")
    matched_skills: list[str] = Field(description="The project's technologies that the pool lists for them.")
    score: float = Field(ge=0, le=1, description="Relative fit, 1 covering every technology mentioned.")


class Fallback(BaseModel):
    reason: str = Field(description="Why the fine-tuned model's answer was not used.")


class RecommendResponse(BaseModel):
    recommendations: list[RecommendationOut] = Field(description="Best first; empty when nobody fits.")
    backend: Literal["azure-openai", "local"] = Field(description="What produced recommendations[0].")
    model: str | None = Field(description="The model deployment that answered, if any.")
    request_id: str
    message: str | None = Field(None, description="Set when there is no recommendation, saying why.")
    fallback: Fallback | None = Field(None, description="Set when the local recommender stood in for the model.")

    @classmethod
    def from_outcome(cls, outcome: Outcome, request_id: str) -> RecommendResponse:
        return cls(
            recommendations=[
                RecommendationOut(
                    name=item.name,
                    title=item.title,
                    reason=item.reason,
                    matched_skills=list(item.matched_skills),
                    score=item.score,
                )
                for item in outcome.recommendations
            ],
            backend=outcome.backend,
            model=outcome.model,
            request_id=request_id,
            message=outcome.message,
            fallback=Fallback(reason=outcome.fallback_reason) if outcome.fallback_reason else None,
        )


class ModelHealth(BaseModel):
    state: Literal["available", "rate_limited", "backing_off"] = Field(
        description="available: calls go out; rate_limited: the service asked to wait; backing_off: it kept failing."
    )
    retry_after: int | None = Field(None, description="Seconds until calls go out again, if known.")
    reason: str | None = Field(None, description="Why calls are held back; requests meanwhile answer locally.")


class HealthResponse(BaseModel):
    status: Literal["ok"]
    backend: Literal["azure-openai", "local"]
    developers: int
    model: ModelHealth | None = Field(None, description="The fine-tuned model's availability (azure-openai only).")
    model_retires: date | None = Field(
        None, description="When the deployed fine-tuned model stops answering (BESTDEV_FINE_TUNED_MODEL), if known."
    )


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: not_found, invalid_request, model_timeout, ...")
    message: str = Field(description="What went wrong and what to do about it, for a person.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


MAX_NOTE = 1000
RequestId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
DeveloperName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200), AfterValidator(_trimmed)]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "request_id": "example-request-id",
                    "description": "A React Native app with Firebase for a coffee chain",
                    "developer": "Ana Lima",
                    "verdict": "good",
                }
            ]
        },
    )

    request_id: RequestId = Field(description="The request_id /api/recommend returned with the answer.")
    description: Description = Field(
        description="The description exactly as it was sent to /api/recommend (it is checked against a hash).",
        json_schema_extra={"pattern": HAS_TEXT},
    )
    developer: DeveloperName = Field(description="A developer from the pool.")
    verdict: Literal["chosen", "good", "wrong"] = Field(
        description="chosen: staffed (may be someone the answer did not name); good: a good pick from the answer; "
        "wrong: a pick from the answer that is not right."
    )
    note: Annotated[str, StringConstraints(strict=True, max_length=MAX_NOTE)] | None = Field(
        None, description="Optional: why, in a few words."
    )


class FeedbackCreated(BaseModel):
    id: str = Field(description="The decision's id; the same request and developer keep the same id.")
    request_id: str
    developer: str = Field(description="The developer's name as the pool spells it.")
    verdict: Literal["chosen", "good", "wrong"]


class PoolDeveloper(BaseModel):
    name: str
    title: str | None = None


class PoolResponse(BaseModel):
    company: str
    developers: list[PoolDeveloper] = Field(description="Everyone in the pool, in its order.")
