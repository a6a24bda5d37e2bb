"""The one error envelope, {"error": {"code", "message"}}, for every failure the API can return."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from bestdev.api.docs_page import DOCS_PATH
from bestdev.api.schemas import ErrorResponse
from bestdev.feedback.errors import (
    DescriptionMismatch,
    FeedbackError,
    InvalidDecision,
    StoreUnavailable,
    UnknownRequest,
)
from bestdev.model.faults import FaultCause, ModelFault

log = logging.getLogger(__name__)

NOT_JSON = 'The body is not valid JSON: send a JSON object such as {"description": "..."}.'

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}

_FAULT_STATUS: dict[FaultCause, int] = {
    "timeout": 504,
    "connection": 503,
    "rate_limited": 503,
    "unavailable": 503,
    "credential": 503,
}


Scope = Literal["any", "body", "model", "feedback"]


@dataclass(frozen=True)
class ApiError:
    """One error the API answers with: its status, its code and when. `scope` says which routes can give it: any
    route, every route taking a JSON body, the routes that may ask the model, or /api/feedback."""

    status: int
    code: str
    when: str
    scope: Scope = "body"


# Every error the API answers with, in one place: each route's documented responses (/api/openapi.json) and the
# table in docs/api.md are made from it.
ERRORS: tuple[ApiError, ...] = (
    ApiError(400, "bad_request", "A `Content-Length` header that is not ASCII digits (such as `¹`)."),
    ApiError(
        401,
        "unauthorized",
        "With `BESTDEV_REQUIRED_ROLE` (behind sign-in in Azure): no session or token, so no caller passed on by App "
        "Service authentication; comes with `WWW-Authenticate: Bearer`. Every route but `/api/health` (a browser "
        "opening the page is sent to sign in instead).",
        "any",
    ),
    ApiError(
        403,
        "forbidden",
        "With `BESTDEV_REQUIRED_ROLE`: a signed-in caller without that app role. Every route but `/api/health`.",
        "any",
    ),
    ApiError(404, "not_found", "No route at this path; the message lists the routes.", "any"),
    ApiError(405, "method_not_allowed", "A route asked with another method; the message says which it takes.", "any"),
    ApiError(
        413,
        "payload_too_large",
        "A body over `BESTDEV_MAX_BODY_BYTES` (by `Content-Length`, or counted while streaming); the rest is not read.",
    ),
    ApiError(415, "unsupported_media_type", "A content type other than `application/json` or `application/*+json`."),
    ApiError(
        422,
        "invalid_json",
        "Not UTF-8 (JSON in UTF-16 or UTF-32 included), not JSON, NUL bytes, or nested deeper than 32 outside strings.",
    ),
    ApiError(
        422,
        "invalid_request",
        "Not an object, a field missing, empty, only whitespace, too long, of the wrong type or out of range, or an "
        "unknown field; the message names each field, its limit and the accepted fields.",
    ),
    ApiError(
        422,
        "invalid_request",
        "A developer outside the pool, or for `good`/`wrong` someone not in the answer.",
        "feedback",
    ),
    ApiError(
        404,
        "unknown_request",
        "No kept answer with this `request_id` (unknown, or older than `BESTDEV_FEEDBACK_DAYS`).",
        "feedback",
    ),
    ApiError(
        409, "description_mismatch", "Another description than the one answered under this `request_id`.", "feedback"
    ),
    ApiError(503, "feedback_store_unavailable", "The feedback store is down; nothing was saved.", "feedback"),
    ApiError(504, "model_timeout", "The model did not answer in time (`Retry-After` when known).", "model"),
    ApiError(503, "model_connection", "The model's endpoint refused the connection.", "model"),
    ApiError(
        503,
        "model_rate_limited",
        "The deployment is rate limited (429); `Retry-After` says when to come back.",
        "model",
    ),
    ApiError(503, "model_unavailable", "The model answered 500, 502, 503 or 504 after the retries.", "model"),
    ApiError(503, "model_credential", "No token for the model (managed identity or `az login`).", "model"),
    ApiError(502, "model_rejected", "The model refused the call (401, 403, 404).", "model"),
    ApiError(502, "model_content_filter", "The content filter stopped the prompt or the answer.", "model"),
    ApiError(502, "model_empty", "The model's answer was empty.", "model"),
    ApiError(502, "model_unparsable", "Malformed JSON or an answer of the wrong shape.", "model"),
    ApiError(502, "model_not_in_pool", "The model named someone outside the pool.", "model"),
    ApiError(502, "model_ungrounded", "The model claimed skills the pool or the description does not back.", "model"),
    ApiError(500, "internal_error", "A bug on our side (logged with the request id); never for bad input.", "any"),
)


def documented_errors(*scopes: Scope) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route whose errors come from these scopes, each status listing its codes."""
    by_status: dict[int, list[ApiError]] = {}
    for error in ERRORS:
        if error.scope in scopes and error.scope != "any":
            by_status.setdefault(error.status, []).append(error)
    return {
        status: {
            "model": ErrorResponse,
            "description": " ".join(_documented(error) for error in errors),
        }
        for status, errors in sorted(by_status.items())
    }


def _documented(error: ApiError) -> str:
    only = " (only with `BESTDEV_FALLBACK=none`)" if error.scope == "model" else ""
    return f"`{error.code}`: {error.when.removesuffix('.')}{only}."


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(ModelFault, _model_fault)  # type: ignore[arg-type]
    app.add_exception_handler(FeedbackError, _feedback_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    status = error.status_code
    if status == 404:
        message = f"Nothing at {request.url.path}. {routes_hint(request.app)}"
    elif status == 405:
        allowed = (error.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}; use {allowed or 'another method'}."
    elif status == 400 and request.method in {"POST", "PUT", "PATCH"}:
        # FastAPI's only 400: a body json.loads refused with something other than a JSONDecodeError
        # (such as an integer literal thousands of digits long). It is bad JSON like any other.
        return error_response(422, "invalid_json", NOT_JSON)
    else:
        message = str(error.detail) if error.detail else "The request could not be handled."
    code = _STATUS_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    return error_response(status, code, message, headers=dict(error.headers or {}))


def routes_hint(app: FastAPI) -> str:
    """What the API offers, from the app's own published routes: 'The API offers POST /api/recommend, ...'."""
    offered = [
        f"{method} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in sorted(route.methods or ())
    ]
    served = any(getattr(route, "path", None) == DOCS_PATH for route in app.routes)  # docs_page's own
    where = app.docs_url or (DOCS_PATH if served else None)
    docs = f"; see {where}" if where else ""
    return f"The API offers {_listed(offered)}{docs}."


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    fields = _accepted_fields(request.scope.get("route"))
    problems = [_describe(item, fields) for item in error.errors()]
    code = "invalid_json" if any(item.get("type") == "json_invalid" for item in error.errors()) else "invalid_request"
    return error_response(422, code, " ".join(dict.fromkeys(problems)) or "The request body is not valid.")


FEEDBACK_UNAVAILABLE = "The feedback store is unavailable right now; nothing was saved. Please try again later."


def _accepted_fields(route: object) -> list[str]:
    """The fields of the request model of the route that refused the body."""
    if not isinstance(route, APIRoute):
        return []
    fields: list[str] = []
    for parameter in route.dependant.body_params:
        model = parameter.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            fields += list(model.model_fields)
    return fields


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)


def _describe(item: dict[str, Any], fields: list[str]) -> str:
    """One problem as one sentence, naming the field, what is wrong and, where there is one, the limit."""
    kind = item.get("type", "")
    field = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
    context = item.get("ctx") or {}
    given = item.get("input")
    if kind == "json_invalid":
        return NOT_JSON
    if kind == "missing" and not field:
        return 'The body is empty: send a JSON object such as {"description": "..."}.'
    if kind == "model_attributes_type" or (not field and kind.endswith("_type")):
        return 'The body must be a JSON object such as {"description": "..."}.'
    if kind == "missing":
        return f"{field}: required."
    if kind == "extra_forbidden":
        accepted = f"; the accepted fields are {_listed(fields)}" if fields else ""
        return f"{field}: unknown field{accepted}."
    if kind == "string_too_long" and isinstance(given, str):
        limit = context.get("max_length")
        return f"{field}: {len(given):,} characters is too long; the limit is {limit:,} characters."
    if kind == "less_than_equal" and "le" in context:
        return f"{field}: must be at most {context['le']} (got {given})."
    if kind == "greater_than_equal" and "ge" in context:
        return f"{field}: must be at least {context['ge']} (got {given})."
    message = str(item.get("msg", "invalid")).rstrip(".")
    return f"{field}: {message[:1].lower()}{message[1:]}." if field else f"{message}."


async def _model_fault(request: Request, fault: ModelFault) -> JSONResponse:
    """The fault's status; a 503 or 504 says when to come back (Retry-After, whole seconds) when that is known."""
    status = _FAULT_STATUS.get(fault.cause, 502)
    headers = None
    if status in (503, 504) and fault.retry_after is not None and math.isfinite(fault.retry_after):
        headers = {"Retry-After": str(max(1, math.ceil(fault.retry_after)))}
    message = f"The recommendation model failed: {fault.message}."
    return error_response(status, f"model_{fault.cause}", message, headers=headers)


_FEEDBACK_STATUS: list[tuple[type[FeedbackError], int, str]] = [
    (UnknownRequest, 404, "unknown_request"),
    (DescriptionMismatch, 409, "description_mismatch"),
    (InvalidDecision, 422, "invalid_request"),
    (StoreUnavailable, 503, "feedback_store_unavailable"),
]


async def _feedback_error(request: Request, error: FeedbackError) -> JSONResponse:
    for kind, status, code in _FEEDBACK_STATUS:
        if isinstance(error, kind):
            if status == 503:  # the details (paths, hosts) go to the log, not to the caller
                log.warning("feedback store unavailable: %s", error)
                return error_response(status, code, FEEDBACK_UNAVAILABLE)
            return error_response(status, code, str(error)[:1].upper() + str(error)[1:] + ".")
    return await _unexpected(request, error)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "Something went wrong on our side; please try again.")
