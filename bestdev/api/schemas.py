"""The API contract: request and response bodies, as published at /api/openapi.json."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from bestdev.pool import Drift
from bestdev.recommend.base import Backend, Outcome, Team, Understood, Unrecognised

MAX_DESCRIPTION = 4000
MAX_TOP_K = 10
MAX_TEAM = 6

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


def _iso_day(value: object) -> object:
    """A day as JSON writes it, YYYY-MM-DD: not a number of seconds, not a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", "must be a date written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]


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
    start: Day | None = Field(
        None,
        description="The day the project starts (YYYY-MM-DD). With it, someone not free by then never ranks above "
        "someone free who covers at least as much, and each developer says whether they are free by then.",
    )


class RecommendationOut(BaseModel):
    name: str = Field(description="A developer from the pool.")
    title: str | None = Field(None, description="Their title in the pool, if it lists one.")
    reason: str = Field(description="Why they fit, naming only skills the pool lists for them.")
    matched_skills: list[str] = Field(description="The project's technologies that the pool lists for them.")
    score: float = Field(ge=0, le=1, description="Relative fit, 1 covering every technology mentioned.")
    missing: list[str] = Field(
        default_factory=list,
        description="What the project asks for (as in `understood`) that the pool does not list for them.",
    )
    coverage: float = Field(
        0.0,
        ge=0,
        le=1,
        description="The share of the weighted requirements they hold (must-have 2, other 1, nice-to-have 0.5; a "
        "concept half that): 1.0 holds everything the project named. `score` ranks, coverage is the fit.",
    )
    levels: dict[str, int] = Field(
        default_factory=dict,
        description="The level (1 basic to 5 expert) the pool gives matched skills, where it gives one.",
    )
    available_from: date | None = Field(
        None, description="The first day they are free for a new project, as the pool says; null: free now."
    )
    allocation: int | None = Field(
        None, ge=0, le=100, description="The share of their time already booked (until available_from), in percent."
    )
    free: bool | None = Field(None, description="Whether they are free on the request's start day; null without one.")


class UnrecognisedOut(BaseModel):
    """Words the description names as a technology that the recommender does not know (so they were not weighed)."""

    text: str = Field(description="The words as the description writes them.")
    did_you_mean: str | None = Field(None, description="A technology it knows that these words nearly spell.")

    @classmethod
    def of(cls, item: Unrecognised) -> UnrecognisedOut:
        return cls(text=item.text, did_you_mean=item.did_you_mean)


class UnderstoodOut(BaseModel):
    """One requirement read from the description."""

    technology: str = Field(description="The canonical technology name; for a concept, the concept as written.")
    text: str = Field(description="The words as the description writes them.")
    weight: Literal["must", "nice", "normal"] = Field(description="How much the description insists on it.")
    via: Literal["name", "alias", "concept", "spelling"] = Field(
        description="Named by its name, by another name, or reached through a concept it implements; 'spelling': "
        "a skills item read as the technology it nearly spells (text is what was written)."
    )

    @classmethod
    def of(cls, item: Understood) -> UnderstoodOut:
        return cls.model_validate(
            {"technology": item.technology, "text": item.text, "weight": item.weight, "via": item.via}
        )


class ClosestOut(BaseModel):
    """Not a fit: someone holding something related to a project nobody in the pool fits."""

    name: str = Field(description="A developer from the pool.")
    title: str | None = Field(None, description="Their title in the pool, if it lists one.")
    reason: str = Field(description="Plainly why they are not a fit, and why they are the closest.")
    holds: list[str] = Field(description="What they hold that the project asks for or that is related to it.")
    missing: list[str] = Field(description="What the project asks for that the pool does not list for them.")
    coverage: float = Field(ge=0, le=1, description="As for a recommendation: below what a fit would have.")


_RECOMMEND_EXAMPLE: JsonDict = {
    "recommendations": [
        {
            "name": "Lucas Martin",
            "title": "Java Developer",
            "reason": "They have experience with Java, Spring Boot, Kafka and Oracle Database, which are relevant "
            "to the project.",
            "matched_skills": ["Java", "Spring Boot", "Kafka", "Oracle Database"],
            "score": 0.8305,
            "missing": ["PostgreSQL"],
            "coverage": 0.875,
        }
    ],
    "backend": "local",
    "model": None,
    "request_id": "3f2a9c1e8b7d4a60",
    "message": None,
    "fallback": None,
    "understood": [
        {"technology": "Java", "text": "Java", "weight": "normal", "via": "name"},
        {"technology": "Spring Boot", "text": "Spring Boot", "weight": "normal", "via": "name"},
        {"technology": "Kafka", "text": "Kafka", "weight": "normal", "via": "name"},
        {"technology": "PostgreSQL", "text": "Postgres", "weight": "normal", "via": "alias"},
    ],
    "closest": [],
    "unrecognised": [],
    "pool_version": "f0f04ea2f22c",
}


class Fallback(BaseModel):
    reason: str = Field(description="Why the fine-tuned model's answer was not used.")


class RecommendResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_RECOMMEND_EXAMPLE]})

    recommendations: list[RecommendationOut] = Field(description="Best first; empty when nobody fits.")
    backend: Backend = Field(description="What produced recommendations[0].")
    model: str | None = Field(description="The model deployment that answered, if any.")
    request_id: str = Field(description="This request's id (also the X-Request-ID header); send it back with feedback.")
    message: str | None = Field(None, description="Set when there is no recommendation, saying why.")
    fallback: Fallback | None = Field(None, description="Set when the local recommender stood in for the model.")
    understood: list[UnderstoodOut] = Field(
        default_factory=list,
        description="What was read from the description, in order of appearance (the same whichever backend answers).",
    )
    unrecognised: list[UnrecognisedOut] = Field(
        default_factory=list,
        description="What the description names as a technology that the recommender does not know: not weighed.",
    )
    closest: list[ClosestOut] = Field(
        default_factory=list,
        description="Not fits: those ranked who hold less than a quarter of what was asked and, when nobody fits, up "
        "to top_k developers holding something related.",
    )
    pool_version: str = Field(description="The version (content hash) of the pool that answered.")

    @classmethod
    def from_outcome(cls, outcome: Outcome, request_id: str, pool_version: str) -> RecommendResponse:
        return cls(
            recommendations=[
                RecommendationOut(
                    name=item.name,
                    title=item.title,
                    reason=item.reason,
                    matched_skills=list(item.matched_skills),
                    score=item.score,
                    missing=list(item.missing),
                    coverage=item.coverage or 0.0,
                    levels=dict(item.levels),
                    available_from=item.available_from,
                    allocation=item.allocation,
                    free=item.free,
                )
                for item in outcome.recommendations
            ],
            backend=outcome.backend,
            model=outcome.model,
            request_id=request_id,
            message=outcome.message,
            fallback=Fallback(reason=outcome.fallback_reason) if outcome.fallback_reason else None,
            understood=[UnderstoodOut.of(item) for item in outcome.understood],
            unrecognised=[UnrecognisedOut.of(item) for item in outcome.unrecognised],
            pool_version=pool_version,
            closest=[
                ClosestOut(
                    name=item.name,
                    title=item.title,
                    reason=item.reason,
                    holds=list(item.holds),
                    missing=list(item.missing),
                    coverage=item.coverage,
                )
                for item in outcome.closest
            ],
        )


class TeamRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "description": "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports",
                    "max_size": 4,
                }
            ]
        },
    )

    description: Description = Field(
        description="The project in free text: what it is and the technologies it uses (1-4000 characters).",
        json_schema_extra={"pattern": HAS_TEXT},
    )
    max_size: TopK = Field(4, strict=True, ge=1, le=MAX_TEAM, description="The most people the team may have.")
    start: Day | None = Field(
        None,
        description="The day the project starts (YYYY-MM-DD). With it, someone not free by then never ranks above "
        "someone free who covers at least as much, and each developer says whether they are free by then.",
    )


class TeamMemberOut(BaseModel):
    name: str = Field(description="A developer from the pool.")
    title: str | None = Field(None, description="Their title in the pool, if it lists one.")
    covers: list[str] = Field(
        description="The requirements (as in `understood`) they are on the team for; the pool lists each for them."
    )
    reason: str = Field(description="Why they are on the team, naming only skills the pool lists for them.")
    available_from: date | None = Field(
        None, description="The first day they are free for a new project, as the pool says; null: free now."
    )
    allocation: int | None = Field(
        None, ge=0, le=100, description="The share of their time already booked (until available_from), in percent."
    )
    free: bool | None = Field(None, description="Whether they are free on the request's start day; null without one.")


_TEAM_EXAMPLE: JsonDict = {
    "members": [
        {
            "name": "Ahmed Hassan",
            "title": "Site Reliability Engineer",
            "covers": ["Kubernetes", "Terraform"],
            "reason": "They have experience with Kubernetes and Terraform, which are relevant to the project.",
        },
        {
            "name": "Mikko Heikkinen",
            "title": "Backend Developer",
            "covers": ["Go", "gRPC"],
            "reason": "They have experience with Go and gRPC, which are relevant to the project.",
        },
    ],
    "uncovered": ["Svelte"],
    "left_out": [],
    "understood": [
        {"technology": "Svelte", "text": "Svelte", "weight": "must", "via": "name"},
        {"technology": "Go", "text": "Go", "weight": "normal", "via": "name"},
        {"technology": "gRPC", "text": "gRPC", "weight": "normal", "via": "name"},
        {"technology": "Kubernetes", "text": "Kubernetes", "weight": "normal", "via": "name"},
        {"technology": "Terraform", "text": "Terraform", "weight": "normal", "via": "name"},
    ],
    "exact": True,
    "backend": "local",
    "model": None,
    "request_id": "3f2a9c1e8b7d4a60",
    "message": "Nobody in the pool lists Svelte.",
    "fallback": None,
    "pool_version": "f0f04ea2f22c",
}


class TeamResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_TEAM_EXAMPLE]})

    members: list[TeamMemberOut] = Field(
        description="The smallest team covering the most must-haves, then the most of the rest; the member who "
        "adds the most first (the model's grounded pick first when the fine-tuned model answers)."
    )
    uncovered: list[str] = Field(description="What the project asks for that nobody in the pool lists.")
    left_out: list[str] = Field(
        description="What someone in the pool holds but a team of at most max_size could not also cover."
    )
    understood: list[UnderstoodOut] = Field(description="What was read from the description, in order.")
    unrecognised: list[UnrecognisedOut] = Field(
        default_factory=list,
        description="What the description names as a technology that the recommender does not know: not weighed.",
    )
    exact: bool = Field(description="Whether the search was exhaustive (it is bounded for very varied pools).")
    backend: Backend = Field(description="What chose the first member.")
    model: str | None = Field(description="The model deployment that answered, if any.")
    request_id: str = Field(description="This request's id (also the X-Request-ID header); send it back with feedback.")
    message: str | None = Field(None, description="What nobody covers, or what the team size leaves out.")
    fallback: Fallback | None = Field(None, description="Set when the local recommender stood in for the model.")
    pool_version: str = Field(description="The version (content hash) of the pool that answered.")

    @classmethod
    def from_team(cls, team: Team, request_id: str, pool_version: str) -> TeamResponse:
        return cls(
            members=[
                TeamMemberOut(
                    name=member.name,
                    title=member.title,
                    covers=list(member.covers),
                    reason=member.reason,
                    available_from=member.available_from,
                    allocation=member.allocation,
                    free=member.free,
                )
                for member in team.members
            ],
            uncovered=list(team.uncovered),
            left_out=list(team.left_out),
            understood=[UnderstoodOut.of(item) for item in team.understood],
            unrecognised=[UnrecognisedOut.of(item) for item in team.unrecognised],
            exact=team.exact,
            backend=team.backend,
            model=team.model,
            request_id=request_id,
            message=team.message,
            fallback=Fallback(reason=team.fallback_reason) if team.fallback_reason else None,
            pool_version=pool_version,
        )


class ModelHealth(BaseModel):
    state: Literal["available", "rate_limited", "backing_off"] = Field(
        description="available: calls go out; rate_limited: the service asked to wait; backing_off: it kept failing."
    )
    retry_after: int | None = Field(None, description="Seconds until calls go out again, if known.")
    reason: str | None = Field(None, description="Why calls are held back; requests meanwhile answer locally.")


class DriftHealth(BaseModel):
    """The live pool against the one the fine-tuned model was trained on."""

    trained_version: str = Field(description="The version of the pool the model was trained on.")
    new_developers: int = Field(description="Developers in the live pool the model never saw.")
    changed_skills: int = Field(description="Developers it saw whose skills changed since.")
    new_share: float = Field(ge=0, le=1, description="The share of the live pool new to the model.")

    @classmethod
    def of(cls, drift: Drift | None) -> DriftHealth | None:
        if drift is None:
            return None
        return cls(
            trained_version=drift.trained_version,
            new_developers=drift.new,
            changed_skills=drift.changed,
            new_share=round(drift.new_share, 4),
        )


class PoolHealth(BaseModel):
    company: str
    developers: int
    version: str = Field(description="The content hash of the pool being served.")
    loaded_at: datetime = Field(description="When this version was loaded (UTC).")
    source: str = Field(description="Where it is read from: the published pool's URL, a file, or the sample.")
    problem: str | None = Field(
        None, description="Why a newer version is not served (it does not validate, or cannot be read); null if none."
    )
    drift: DriftHealth | None = Field(
        None, description="With a fine-tuned model whose training pool is recorded: how the live pool differs from it."
    )


class HealthResponse(BaseModel):
    status: Literal["ok"] = Field(description="Always ok: the app is up (it answers locally when the model is not).")
    backend: Backend = Field(description="What answers: the fine-tuned model (in Azure or served locally) or local.")
    developers: int = Field(description="How many developers the loaded pool holds.")
    pool: PoolHealth | None = Field(None, description="The pool being served.")
    model: ModelHealth | None = Field(None, description="The fine-tuned model's availability (azure-openai only).")
    model_retires: date | None = Field(
        None, description="When the deployed fine-tuned model stops answering (BESTDEV_FINE_TUNED_MODEL), if known."
    )


class CallerResponse(BaseModel):
    signed_in: bool = Field(
        description="Whether App Service authentication passed a signed-in caller on: in Azure behind sign-in "
        "(BESTDEV_REQUIRED_ROLE), always; without sign-in, never."
    )
    name: str | None = Field(None, description="The signed-in person's name as Entra ID gives it; none for a service.")


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
    developer: DeveloperName = Field(description="A developer from the pool.", json_schema_extra={"pattern": HAS_TEXT})
    verdict: Literal["chosen", "good", "wrong"] = Field(
        description="chosen: staffed (may be someone the answer did not name); good: a good pick from the answer; "
        "wrong: a pick from the answer that is not right."
    )
    note: Annotated[str, StringConstraints(strict=True, max_length=MAX_NOTE)] | None = Field(
        None, description="Optional: why, in a few words."
    )


class FeedbackCreated(BaseModel):
    id: str = Field(description="The decision's id; the same request and developer keep the same id.")
    request_id: str = Field(description="The answer's request_id this verdict is on.")
    developer: str = Field(description="The developer's name as the pool spells it.")
    verdict: Literal["chosen", "good", "wrong"] = Field(description="The verdict as recorded.")


class PoolDeveloper(BaseModel):
    name: str = Field(description="Their name, as the pool spells it.")
    title: str | None = Field(None, description="Their title in the pool, if it lists one.")
    available_from: date | None = Field(None, description="The first day they are free, as the pool says.")
    allocation: int | None = Field(None, description="The share of their time already booked, in percent.")


class PoolResponse(BaseModel):
    company: str = Field(description="The company the pool names.")
    version: str = Field(description="The content hash of the pool being served.")
    developers: list[PoolDeveloper] = Field(description="Everyone in the pool, in its order.")
