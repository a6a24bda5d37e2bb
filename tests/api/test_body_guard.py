"""The input guard, exactly: what it lets through untouched, and what it refuses with which status, code and message.

Most tests drive BodyGuardMiddleware at the ASGI level around a small app that reports what reached it, so each
limit is checked at its boundary (the last accepted value and the first refused one). The last ones go through the
real app, as a client would see it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.types import Message, Receive, Scope, Send

from bestdev.api.app import create_app
from bestdev.api.body_guard import MAX_NESTING, BodyGuardMiddleware
from bestdev.api.errors import NOT_JSON
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import load_settings
from tests.grounding import assert_envelope, assert_response_grounded

LIMIT = 1000
JSON = (b"content-type", b"application/json")
TOO_LARGE = f"The body is larger than {LIMIT} bytes; shorten the description."
NOT_UTF8 = "The body is not valid UTF-8: send JSON encoded as UTF-8."
TOO_DEEP = f"The JSON body is nested more than {MAX_NESTING} levels deep."
NOT_A_NUMBER = "The Content-Length header is not a number."
WRONG_TYPE = "Send the body as JSON with Content-Type: application/json."


@dataclass
class Inner:
    """The app behind the guard: records the body it read (strictly as ASGI says) and the message after it."""

    bodies: list[bytes] = field(default_factory=list)
    after: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            assert message["type"] == "http.request", message
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.bodies.append(body)
        self.after.append((await receive())["type"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


@dataclass
class Exchange:
    status: int | None
    body: bytes
    reads: int

    @property
    def error(self) -> dict[str, str]:
        payload = json.loads(self.body)
        assert_envelope(payload)
        error: dict[str, str] = payload["error"]
        return error


def routed(inner: Inner) -> Starlette:
    """An app with routes for each body method, one without a body, and a mount."""
    routes = [
        Route("/recommend", inner, methods=["POST"]),
        Route("/put", inner, methods=["PUT"]),
        Route("/patch", inner, methods=["PATCH"]),
        Route("/read", inner, methods=["GET"]),
        Mount("/static", app=PlainTextResponse("static")),
    ]
    return Starlette(routes=routes)


def guard(inner: Inner) -> BodyGuardMiddleware:
    app = routed(inner)
    return BodyGuardMiddleware(app, max_bytes=LIMIT, routes=app.routes)


async def call(
    app: Any,
    chunks: Sequence[bytes | None],
    headers: Sequence[tuple[bytes, bytes]] = (JSON,),
    method: str = "POST",
    path: str = "/recommend",
    last_says_more: bool | None = False,
) -> Exchange:
    """One request at the ASGI level, its body sent in `chunks`; after them the client is gone (disconnect).
    A None chunk is a message without a body, and `last_says_more=None` leaves more_body out of the last one, as
    ASGI allows both."""
    reads = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal reads
        reads += 1
        if reads > len(chunks):
            return {"type": "http.disconnect"}
        chunk = chunks[reads - 1]
        message: Message = {"type": "http.request"} if chunk is None else {"type": "http.request", "body": chunk}
        last = reads == len(chunks)
        if not last:
            message["more_body"] = True
        elif last_says_more is not None:
            message["more_body"] = last_says_more
        return message

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": list(headers),
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 7071),
    }
    await app(scope, receive, send)
    status = next((message["status"] for message in sent if message["type"] == "http.response.start"), None)
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return Exchange(status, body, reads)


def nested(depth: int, brackets: str = "[]") -> str:
    """A value nested `depth` levels deep (as JSON text)."""
    if brackets == "[]":
        return "[" * depth + "0" + "]" * depth
    return '{"a":' * depth + "0" + "}" * depth


def request(top_k: str, description: str = "Go") -> bytes:
    """A body whose own object is one level, so its top_k nested n deep makes n + 1."""
    return f'{{"description": {json.dumps(description)}, "top_k": {top_k}}}'.encode()


# --- what passes through untouched ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "media",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
        " application/json ",
        "application/problem+json",
        "application/vnd.api+json; charset=utf-8",
    ],
)
async def test_json_media_types_pass_with_the_body_intact(media: str) -> None:
    inner = Inner()
    body = b'{"description": "Python and SQL"}'
    exchange = await call(guard(inner), [body], [(b"content-type", media.encode())])
    assert (exchange.status, exchange.body) == (200, b"inner")
    assert inner.bodies == [body]


async def test_a_body_in_many_chunks_reaches_the_app_whole_and_once() -> None:
    inner = Inner()
    parts = [b'{"description": ', b'"Python', b" and SQL", b'"}']
    exchange = await call(guard(inner), parts)
    assert exchange.status == 200
    assert inner.bodies == [b"".join(parts)]
    assert inner.after == ["http.disconnect"]  # after the replayed body, the app hears the real client again


async def test_a_last_chunk_without_more_body_ends_the_body() -> None:
    inner = Inner()
    exchange = await call(guard(inner), [b'{"description": ', b'"Go"}'], last_says_more=None)
    assert exchange.status == 200
    assert inner.bodies == [b'{"description": "Go"}']


async def test_a_message_without_a_body_adds_nothing() -> None:
    inner = Inner()
    exchange = await call(guard(inner), [None, b'{"description": "Go"}', None])
    assert exchange.status == 200
    assert inner.bodies == [b'{"description": "Go"}']


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_of_exactly_the_limit_passes(declared: bool) -> None:
    inner = Inner()
    start, end = b'{"description": "', b'"}'
    body = start + b"x" * (LIMIT - len(start) - len(end)) + end
    assert len(body) == LIMIT
    headers = [JSON, (b"content-length", str(LIMIT).encode())] if declared else [JSON]
    exchange = await call(guard(inner), [body[:400], body[400:]], headers)
    assert exchange.status == 200
    assert inner.bodies == [body]


@pytest.mark.parametrize("length", [b"0", b"17", b" 17 ", b"0017"])
async def test_an_ascii_content_length_within_the_limit_passes(length: bytes) -> None:
    inner = Inner()
    exchange = await call(guard(inner), [b'{"description":1}'], [JSON, (b"content-length", length)])
    assert exchange.status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/read"), ("POST", "/read"), ("POST", "/nowhere"), ("DELETE", "/recommend"), ("POST", "/static/x")],
)
async def test_requests_no_route_takes_a_body_for_are_not_guarded(method: str, path: str) -> None:
    """A wrong method or path keeps its own answer (405, 404, the mount's) even with a body that is not JSON."""
    unguarded = routed(Inner())
    headers = [(b"content-type", b"text/plain")]
    expected = await call(unguarded, [b"\xff" * 10], headers, method=method, path=path)
    exchange = await call(guard(Inner()), [b"\xff" * 10], headers, method=method, path=path)
    assert (exchange.status, exchange.body) == (expected.status, expected.body)
    assert exchange.status != 415


async def test_lifespan_passes_through() -> None:
    inner = Inner()
    app = guard(inner)
    events = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[Message] = []

    async def receive() -> Message:
        return next(events)

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert [message["type"] for message in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


async def test_a_client_that_disconnects_mid_body_gets_nothing_and_the_app_is_not_called() -> None:
    inner = Inner()
    exchange = await call(guard(inner), [b'{"descrip', b"tion"], last_says_more=True)
    assert exchange.status is None
    assert inner.bodies == []


# --- what is refused ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("POST", "/recommend"), ("PUT", "/put"), ("PATCH", "/patch")])
@pytest.mark.parametrize("media", [b"text/plain", b"application/xml", b"text/x+json", b"", b"application/jsonx"])
async def test_a_body_that_is_not_json_is_415(method: str, path: str, media: bytes) -> None:
    inner = Inner()
    headers = [(b"content-type", media)] if media else []
    exchange = await call(guard(inner), [b'{"description": "Go"}'], headers, method=method, path=path)
    assert exchange.status == 415
    assert exchange.error == {"code": "unsupported_media_type", "message": WRONG_TYPE}
    assert inner.bodies == []


@pytest.mark.parametrize(
    "length",
    [b"twenty", b"-1", b"1e3", b"0x10", b"\xb9", b"\xb2", b"1\xb3", b"\xd9\xa1", b"\xef\xbc\x91"],
    ids=["word", "negative", "exponent", "hex", "super-1", "super-2", "1-super-3", "arabic-1", "fullwidth-1"],
)
async def test_a_content_length_that_is_not_ascii_digits_is_400(length: bytes) -> None:
    """Superscript digits are digits to str.isdigit() but not to int(): they were a 500."""
    inner = Inner()
    exchange = await call(guard(inner), [b'{"description": "Go"}'], [JSON, (b"content-length", length)])
    assert exchange.status == 400
    assert exchange.error == {"code": "bad_request", "message": NOT_A_NUMBER}
    assert exchange.reads == 0


@pytest.mark.parametrize("declared", [LIMIT + 1, 10**30])
async def test_a_declared_length_over_the_limit_is_413_unread(declared: int) -> None:
    exchange = await call(guard(Inner()), [b"{}"], [JSON, (b"content-length", str(declared).encode())])
    assert exchange.status == 413
    assert exchange.error == {"code": "payload_too_large", "message": TOO_LARGE}
    assert exchange.reads == 0


async def test_a_streamed_body_one_byte_over_the_limit_is_413_once_past_it() -> None:
    inner = Inner()
    chunks = [b"x" * 500, b"x" * 500, b"x", b"x" * 500]
    exchange = await call(guard(inner), chunks)
    assert exchange.status == 413
    assert exchange.error == {"code": "payload_too_large", "message": TOO_LARGE}
    assert exchange.reads == 3
    assert inner.bodies == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"description": "Z\xfcrich"}', NOT_UTF8),
        ('{"description": "Go"}'.encode("utf-16"), NOT_UTF8),
        ('{"description": "Go"}'.encode("utf-32"), NOT_UTF8),
        ('{"description": "Go"}'.encode("utf-16-le"), NOT_JSON),
        ('{"description": "Go"}'.encode("utf-16-be"), NOT_JSON),
        ('{"description": "Go"}'.encode("utf-32-le"), NOT_JSON),
        ('{"description": "Go"}'.encode("utf-32-be"), NOT_JSON),
        (b'{"description": "Go\x00"}', NOT_JSON),
    ],
    ids=["latin-1", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "nul"],
)
async def test_json_not_in_utf8_is_422_before_the_app(body: bytes, message: str) -> None:
    inner = Inner()
    exchange = await call(guard(inner), [body])
    assert exchange.status == 422
    assert exchange.error == {"code": "invalid_json", "message": message}
    assert inner.bodies == []


# --- nesting, counted outside strings only ----------------------------------------------------------------------------


@pytest.mark.parametrize("brackets", ["[]", "{}"])
async def test_nesting_up_to_the_limit_passes_and_one_more_is_refused(brackets: str) -> None:
    """Brackets inside the description push the count past the cheap pre-check, so the scan itself decides."""
    padding = "[{" * MAX_NESTING
    inner = Inner()
    at_limit = await call(guard(inner), [request(nested(MAX_NESTING - 1, brackets), padding)])
    over = await call(guard(inner), [request(nested(MAX_NESTING, brackets), padding)])
    assert at_limit.status == 200
    assert over.status == 422
    assert over.error == {"code": "invalid_json", "message": TOO_DEEP}
    assert len(inner.bodies) == 1


async def test_the_published_limit_is_32_levels() -> None:
    """The README promises 32: the body's own object and 31 levels inside it pass, one more is refused."""
    padding = "[" * 40
    passes = await call(guard(Inner()), [request(nested(31), padding)])
    refused = await call(guard(Inner()), [request(nested(32), padding)])
    assert (passes.status, refused.status) == (200, 422)
    assert refused.error["message"] == "The JSON body is nested more than 32 levels deep."


@pytest.mark.parametrize("brackets", ["[]", "{}"])
async def test_deep_nesting_alone_is_refused(brackets: str) -> None:
    exchange = await call(guard(Inner()), [request(nested(MAX_NESTING, brackets))])
    assert exchange.status == 422
    assert exchange.error["message"] == TOO_DEEP


async def test_brackets_inside_strings_do_not_count_even_after_escaped_quotes() -> None:
    description = 'print("[[{{") ' + "[" * 40 + "{" * 40 + ' \\ "a" ]]]'
    inner = Inner()
    exchange = await call(guard(inner), [request(nested(3), description)])
    assert exchange.status == 200
    assert len(inner.bodies) == 1


async def test_an_escaped_quote_does_not_end_the_string() -> None:
    inner = Inner()
    exchange = await call(guard(inner), [request("1", 'say "hi ' + "[" * 40)])  # in the body: "say \"hi [[[[..."
    assert exchange.status == 200
    assert len(inner.bodies) == 1


async def test_nesting_after_a_string_with_escapes_is_still_counted() -> None:
    body = request(nested(MAX_NESTING), 'say "hi" [[[ \\')  # the string ends in an escaped backslash
    assert b'\\\\", "top_k"' in body
    exchange = await call(guard(Inner()), [body])
    assert exchange.status == 422
    assert exchange.error["message"] == TOO_DEEP


async def test_closed_brackets_are_uncounted_so_many_shallow_siblings_pass() -> None:
    siblings = ", ".join([f'"a{index}": [[0], {{"b": {{}}}}]' for index in range(20)])
    inner = Inner()
    exchange = await call(guard(inner), [f'{{"description": "Go", {siblings}}}'.encode()])
    assert exchange.status == 200
    assert len(inner.bodies) == 1


async def test_siblings_before_deep_nesting_do_not_hide_it() -> None:
    siblings = ", ".join([f'"a{index}": [0]' for index in range(40)])
    body = f'{{"description": "Go", {siblings}, "deep": {nested(MAX_NESTING)}}}'.encode()
    exchange = await call(guard(Inner()), [body])
    assert exchange.status == 422
    assert exchange.error["message"] == TOO_DEEP


# --- as a client sees it, through the real app ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(BESTDEV_FALLBACK="local")), raise_server_exceptions=False) as client:
        yield client


def post(client: TestClient, body: bytes, headers: dict[str, Any] | None = None) -> Any:
    return client.post("/api/recommend", content=body, headers={"content-type": "application/json", **(headers or {})})


def test_the_app_accepts_json_with_a_charset(client: TestClient, local: LocalRecommender) -> None:
    body = b'{"description": "A React Native app with Firebase"}'
    response = post(client, body, {"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200, response.text
    assert_response_grounded(local, response.json())
    assert response.json()["recommendations"][0]["name"] == "Chen Wei"


def test_the_app_accepts_a_pasted_code_snippet_full_of_brackets(client: TestClient, local: LocalRecommender) -> None:
    snippet = "const x = [[[[{{{{" * 10 + "}}}}]]]]" * 10 + " in a React Native app with Firebase"
    response = post(client, json.dumps({"description": snippet}).encode())
    assert response.status_code == 200, response.text
    assert_response_grounded(local, response.json())
    assert response.json()["recommendations"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_the_app_refuses_json_in_utf16_or_utf32_with_the_envelope(client: TestClient, encoding: str) -> None:
    response = post(client, json.dumps({"description": "A React Native app"}).encode(encoding))
    assert response.status_code == 422
    assert_envelope(response.json())
    assert response.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("length", [b"\xb9", b"\xb2\xb3", b"1\xb9"])
async def test_the_app_answers_a_superscript_content_length_with_400_not_500(length: bytes) -> None:
    """The raw header bytes (latin-1 superscripts) reach the app as a server passes them on; the test client
    would re-encode them."""
    app = create_app(load_settings())
    headers = [JSON, (b"content-length", length)]
    exchange = await call(app, [b'{"description": "Go"}'], headers, path="/api/recommend")
    assert exchange.status == 400
    assert exchange.error == {"code": "bad_request", "message": NOT_A_NUMBER}
