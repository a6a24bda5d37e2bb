"""Property tests over request handling: whatever arrives, the answer is a grounded 200 or a 4xx envelope.

Each property states which requests are valid independently of the app (an oracle), then checks that exactly
those are answered, and that everything else gets the error envelope, never a 5xx.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.types import Message

from bestdev.api.app import create_app
from bestdev.api.body_guard import MAX_NESTING
from bestdev.api.schemas import MAX_DESCRIPTION, MAX_TOP_K
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import load_settings
from tests.grounding import assert_envelope, assert_response_grounded

MAX_BODY = 8192
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_TYPE = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings_ = load_settings(BESTDEV_MAX_BODY_BYTES=MAX_BODY, BESTDEV_FALLBACK="local")
    with TestClient(create_app(settings_), raise_server_exceptions=False) as test_client:
        yield test_client


def post(client: TestClient, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post("/api/recommend", content=body, headers=JSON_TYPE if headers is None else headers)


def check(local: LocalRecommender, response: Any, valid: bool) -> None:
    """A valid request is answered with grounded recommendations; anything else is a 4xx envelope. Either way
    the response names its request id."""
    assert response.headers.get("x-request-id")
    if valid:
        assert response.status_code == 200, response.text
        assert_response_grounded(local, response.json())
    else:
        assert 400 <= response.status_code < 500, response.text
        assert_envelope(response.json())


# --- the oracle: what the published contract accepts -------------------------------------------------------------


def valid_description(value: object) -> bool:
    return (
        isinstance(value, str)
        and 1 <= len(value) <= MAX_DESCRIPTION
        and not value.isspace()
        and not any(unicodedata.category(char) == "Cs" for char in value)  # lone surrogates are not text
    )


def valid_top_k(value: object) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return type(value) is int and 1 <= value <= MAX_TOP_K


def valid_request(value: object) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {"description", "top_k"}
        and valid_description(value.get("description"))
        and ("top_k" not in value or valid_top_k(value["top_k"]))
    )


# --- strategies ---------------------------------------------------------------------------------------------------

any_text = st.text(max_size=60) | st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=4)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4)
)
EXAMPLES = [
    "A React Native app with Firebase",
    "Python and SQL services",
    "\u202eKotlin\u202c Android app for عميل",
    "Go 🚀 microservices\x07\x00 on AWS",
    "   ",
    "",
    "x" * MAX_DESCRIPTION,
    "x" * (MAX_DESCRIPTION + 1),
]
descriptions = st.sampled_from(EXAMPLES) | st.text(max_size=200) | json_values
top_ks = st.integers(-2, MAX_TOP_K + 2) | st.sampled_from([1.0, 3.0, 2.5, "3", True, None, 1e300]) | json_values
likely_valid = st.fixed_dictionaries(
    {"description": st.text(max_size=200) | st.sampled_from(EXAMPLES)},
    optional={"top_k": st.integers(-1, MAX_TOP_K + 1) | st.sampled_from([1.0, 3.0, 2.5, "3", True, None])},
)
anything = st.fixed_dictionaries({}, optional={"description": descriptions, "top_k": top_ks, "extra": json_values})
requests = likely_valid | anything | json_values


@st.composite
def mutated_bodies(draw: st.DrawFn) -> bytes:
    """A valid request body with one byte replaced, removed or inserted."""
    body = bytearray(json.dumps(draw(likely_valid), ensure_ascii=draw(st.booleans())).encode())
    at = draw(st.integers(0, len(body) - 1))
    byte = draw(st.integers(0, 255))
    how = draw(st.sampled_from(["replace", "remove", "insert"]))
    if how == "replace":
        body[at] = byte
    elif how == "remove":
        del body[at]
    else:
        body.insert(at, byte)
    return bytes(body)


@PROPERTY
@given(value=requests, ascii_only=st.booleans())
def test_exactly_the_requests_the_contract_allows_are_answered(
    client: TestClient, local: LocalRecommender, value: object, ascii_only: bool
) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:  # what the server sees: escaped surrogate pairs join into one character, raw surrogates are not UTF-8
        seen = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        seen = None
    valid = valid_request(seen) and len(body) <= MAX_BODY
    event("valid" if valid else "invalid")
    check(local, post(client, body), valid)


@PROPERTY
@given(text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=400))
def test_any_unicode_description_is_answered_unless_blank(
    client: TestClient, local: LocalRecommender, text: str
) -> None:
    """Control characters, emoji, right-to-left marks and every script are valid text."""
    response = post(client, json.dumps({"description": text}, ensure_ascii=False).encode())
    check(local, response, valid=not text.isspace())


@PROPERTY
@given(body=st.binary(max_size=300) | mutated_bodies() | json_values.map(lambda value: json.dumps(value).encode()[:-1]))
def test_arbitrary_bytes_never_cause_a_server_error(client: TestClient, local: LocalRecommender, body: bytes) -> None:
    try:
        value = json.loads(body)
    except ValueError:  # not UTF-8 text, not JSON, or an integer too long to convert
        value = None
    event("valid JSON request" if valid_request(value) else "refused")
    check(local, post(client, body), valid=valid_request(value))


@PROPERTY
@given(media=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_only_json_media_types_are_read(client: TestClient, local: LocalRecommender, media: str) -> None:
    kind = media.split(";", 1)[0].strip().lower()
    is_json = kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))
    response = post(client, b'{"description": "Python and SQL"}', {"content-type": media})
    if is_json:
        check(local, response, valid=True)
    else:
        assert response.status_code == 415
        assert_envelope(response.json())


@PROPERTY
@given(depth=st.integers(1, 3 * MAX_NESTING), brackets=st.sampled_from(["[]", "{}"]))
def test_nesting_beyond_the_limit_is_refused_before_parsing(client: TestClient, depth: int, brackets: str) -> None:
    nested = "[" * depth + "0" + "]" * depth if brackets == "[]" else '{"a":' * depth + "0" + "}" * depth
    response = post(client, f'{{"description": "Go", "top_k": {nested}}}'.encode())
    assert response.status_code == 422
    assert_envelope(response.json())
    expected = "invalid_json" if depth + 1 > MAX_NESTING else "invalid_request"
    assert response.json()["error"]["code"] == expected


@PROPERTY
@given(given_id=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=80))
def test_a_request_id_is_echoed_only_when_sane(client: TestClient, given_id: str) -> None:
    response = client.get("/api/health", headers={"X-Request-ID": given_id})
    sane = len(given_id) <= 64 and all(char.isalnum() or char in "._:-" for char in given_id)
    returned = response.headers["x-request-id"]
    assert (returned == given_id) is sane
    assert 1 <= len(returned) <= 64


# --- regressions found by schemathesis and these properties --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("put", "/api/health", 405), ("patch", "/api/recommend", 405), ("post", "/api/nowhere", 404)],
)
def test_a_wrong_method_or_path_is_not_mistaken_for_a_bad_body(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method.upper(), path, content=b"plain text", headers={"content-type": "text/plain"})
    assert response.status_code == status
    assert_envelope(response.json())


@pytest.mark.parametrize(
    ("body", "headers", "status", "code", "says"),
    [
        (b"", JSON_TYPE, 422, "invalid_request", "The body is empty"),
        (b'{"description": "Go", "top_k": ' + b"9" * 5000 + b"}", JSON_TYPE, 422, "invalid_json", "not valid JSON"),
        (b'\x00{\x00"\x00d', JSON_TYPE, 422, "invalid_json", "not valid JSON"),
        (b'{"description": "Go"}', {**JSON_TYPE, "content-length": "twenty"}, 400, "bad_request", "Content-Length"),
        (b'{"description": "\\ud800 Go"}', JSON_TYPE, 422, "invalid_request", "description"),
    ],
    ids=["empty", "huge-integer", "nul-bytes", "bad-content-length", "lone-surrogate"],
)
def test_odd_bodies_are_clear_4xx(
    client: TestClient, body: bytes, headers: dict[str, str], status: int, code: str, says: str
) -> None:
    response = post(client, body, headers)
    assert response.status_code == status
    assert_envelope(response.json())
    assert response.json()["error"]["code"] == code
    assert says in response.json()["error"]["message"]


def test_top_k_written_as_a_whole_float_is_accepted(client: TestClient) -> None:
    body = client.post("/api/recommend", json={"description": "Python and SQL", "top_k": 2.0}).json()
    assert len(body["recommendations"]) == 2


# --- the size limit holds without reading the body whole -----------------------------------------------------------


async def guarded_call(chunks: int, chunk_size: int, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Drive the app at the ASGI level with a streamed body; return the status and how many chunks it read."""
    app = create_app(load_settings(BESTDEV_MAX_BODY_BYTES=MAX_BODY))
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b"x" * chunk_size, "more_body": read < chunks}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/recommend",
        "raw_path": b"/api/recommend",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 7071),
    }
    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    return start["status"], read


async def test_a_streamed_body_is_cut_off_at_the_limit() -> None:
    status, read = await guarded_call(chunks=1000, chunk_size=1024, headers=[])
    assert status == 413
    assert read == MAX_BODY // 1024 + 1  # stopped at the first chunk past the limit, not after 1000


async def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    status, read = await guarded_call(chunks=1000, chunk_size=1024, headers=[(b"content-length", b"1024000")])
    assert status == 413
    assert read == 0
