"""StreamingResponse and path operations that yield (docs/streaming.md)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterable, Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from examples.server_sent_events import (
    cookie_auth,
    fast_producer,
    fast_producer_checked,
    resume_last_event_id,
    subscribers_cleanup,
    ticks_event_source,
    ticks_streaming_response,
    what_you_can_yield,
)
from examples.streaming import (
    chunks_as_messages,
    cleanup_on_disconnect,
    media_type_header,
    text_lines_sync,
    where_generators_run,
    yield_json_lines,
    yield_raw_chunks,
)
from tests.support import asgi_messages

# --- A generated text stream ------------------------------------------------


def test_text_lines_arrive_in_order_as_plain_text() -> None:
    client = TestClient(text_lines_sync.app)

    with client.stream("GET", "/lines", params={"count": 999}) as response:
        lines = list(response.iter_lines())

    assert response.status_code == 200
    assert lines == [f"line {n}" for n in range(1, 1000)]
    assert set(response.headers) == {"content-type"}  # no content-length
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_each_line_is_its_own_chunk_on_the_wire() -> None:
    messages = asgi_messages(text_lines_sync.app, "/lines")

    assert messages[0]["type"] == "http.response.start"
    assert [m["body"] for m in messages[1:]] == [
        b"line 1\n",
        b"line 2\n",
        b"line 3\n",
        b"line 4\n",
        b"line 5\n",
        b"",
    ]


@pytest.mark.parametrize("count", ["0", "-1", "1001", "9" * 40, "abc", "2.5", ""])
def test_a_count_outside_1_to_1000_gets_422_before_any_line(count: str) -> None:
    response = TestClient(text_lines_sync.app).get("/lines", params={"count": count})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"][0]["loc"] == ["query", "count"]


def test_1000_lines_is_the_most_one_request_gets() -> None:
    response = TestClient(text_lines_sync.app).get("/lines", params={"count": 1000})

    assert response.status_code == 200
    assert response.text.splitlines()[-1] == "line 1000"


def test_client_receives_chunks_while_the_generator_is_still_running() -> None:
    produced: list[int] = []

    def counting_lines() -> Iterator[str]:
        for number in range(1, 4):
            produced.append(number)
            yield f"line {number}\n"

    app = FastAPI()

    @app.get("/lines")
    def lines() -> StreamingResponse:
        return StreamingResponse(counting_lines(), media_type="text/plain")

    with TestClient(app).stream("GET", "/lines") as response:
        lines = response.iter_lines()
        assert next(lines) == "line 1"
        assert produced != [1, 2, 3]  # the rest is not produced yet
        rest = list(lines)

    assert rest == ["line 2", "line 3"]
    assert produced == [1, 2, 3]


# --- Chunks -----------------------------------------------------------------


def test_one_asgi_message_per_yield_then_an_empty_last_one() -> None:
    messages = asgi_messages(chunks_as_messages.app, "/chunks")

    assert [m["type"] for m in messages] == [
        "http.response.start",
        *["http.response.body"] * 5,
    ]
    assert [(m["body"], m["more_body"]) for m in messages[1:]] == [
        (b"short\n", True),
        (b"a much longer chunk of text\n", True),
        (b"raw bytes\n", True),
        ("café\n".encode(), True),
        (b"", False),
    ]


def test_testclient_iter_raw_sees_the_same_chunks() -> None:
    with TestClient(chunks_as_messages.app).stream("GET", "/chunks") as response:
        chunks = list(response.iter_raw())

    assert chunks == [
        b"short\n",
        b"a much longer chunk of text\n",
        b"raw bytes\n",
        b"caf\xc3\xa9\n",
    ]


def test_str_chunks_use_the_response_charset() -> None:
    class Latin1Stream(StreamingResponse):
        charset = "latin-1"

    app = FastAPI()

    @app.get("/")
    def stream() -> StreamingResponse:
        return Latin1Stream(iter(["café"]), media_type="text/plain")

    response = TestClient(app).get("/")

    assert response.content == b"caf\xe9"
    assert response.headers["content-type"] == "text/plain; charset=latin-1"


# --- media_type -------------------------------------------------------------


def test_media_type_sets_content_type_with_charset() -> None:
    response = TestClient(media_type_header.app).get("/with-media-type")

    assert set(response.headers) == {"content-type"}
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "name,price\nPen,1.5\n"


def test_without_media_type_there_is_no_content_type_at_all() -> None:
    response = TestClient(media_type_header.app).get("/without-media-type")

    assert set(response.headers) == set()
    assert response.text == "name,price\nPen,1.5\n"


# --- Path operations that yield ---------------------------------------------


def test_yield_with_streaming_response_class_sends_raw_chunks_untyped() -> None:
    client = TestClient(yield_raw_chunks.app)

    raw = client.get("/raw")
    assert set(raw.headers) == set()
    assert raw.text == "line 1\nline 2\nline 3\n"

    messages = asgi_messages(yield_raw_chunks.app, "/raw")
    assert [m["body"] for m in messages[1:]] == [
        b"line 1\n",
        b"line 2\n",
        b"line 3\n",
        b"",
    ]


def test_a_streaming_response_subclass_brings_its_media_type() -> None:
    response = TestClient(yield_raw_chunks.app).get("/text")

    assert set(response.headers) == {"content-type"}
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "line 1\nline 2\nline 3\n"


def test_yield_without_response_class_streams_json_lines() -> None:
    with TestClient(yield_json_lines.app).stream("GET", "/items") as response:
        assert set(response.headers) == {"content-type"}
        assert response.headers["content-type"] == "application/jsonl"
        body = response.read()

    assert body == b'{"name":"Pen","price":1.5}\n{"name":"Notebook","price":4.0}\n'
    messages = asgi_messages(yield_json_lines.app, "/items")
    assert [m["body"] for m in messages[1:]] == [
        b'{"name":"Pen","price":1.5}\n',
        b'{"name":"Notebook","price":4.0}\n',
        b"",
    ]


def test_json_lines_items_are_validated_against_the_item_type() -> None:
    app = FastAPI()

    @app.get("/items")
    async def items() -> AsyncIterable[yield_json_lines.Item]:
        yield {"name": "Pen", "price": 1.5, "supplier_id": 17}

    assert TestClient(app).get("/items").text == '{"name":"Pen","price":1.5}\n'


def test_untyped_json_lines_go_through_json_dumps() -> None:
    app = FastAPI()

    @app.get("/items")
    def items():  # no return type
        yield {"name": "Pen", "price": 1.5}
        yield "plain string"

    response = TestClient(app).get("/items")

    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == '{"name": "Pen", "price": 1.5}\n"plain string"\n'


def test_a_sync_path_operation_that_yields_runs_in_a_worker_thread() -> None:
    app = FastAPI()

    @app.get("/raw", response_class=StreamingResponse)
    def raw() -> Iterator[str]:
        yield threading.current_thread().name

    @app.get("/jsonl")
    def jsonl() -> Iterator[str]:
        yield threading.current_thread().name

    client = TestClient(app)
    assert client.get("/raw").text == "AnyIO worker thread"
    assert client.get("/jsonl").text == '"AnyIO worker thread"\n'


def test_big_chunks_stay_whole() -> None:
    block = b"x" * 64 * 1024
    app = FastAPI()

    @app.get("/")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter([block, block]))

    messages = asgi_messages(app, "/")

    assert [len(m["body"]) for m in messages[1:]] == [64 * 1024, 64 * 1024, 0]


# --- Every count or size a client sends is bounded ---------------------------

PAGE_EXAMPLES = [
    chunks_as_messages,
    cleanup_on_disconnect,
    media_type_header,
    text_lines_sync,
    where_generators_run,
    yield_json_lines,
    yield_raw_chunks,
    resume_last_event_id,
    subscribers_cleanup,
    ticks_event_source,
    ticks_streaming_response,
    what_you_can_yield,
    fast_producer,
    fast_producer_checked,
    cookie_auth,
]


def client_inputs(module: ModuleType) -> dict[str, dict[str, Any]]:
    """The JSON schema of every parameter a client sends, from the OpenAPI document."""
    found = {}
    for path, operations in module.app.openapi()["paths"].items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                schema = param["schema"]
                options = schema.get("anyOf", [schema])  # `int | None` is an anyOf
                for option in options:
                    if option.get("type") != "null":
                        found[f"{path} {param['in']} {param['name']}"] = option
    return found


def is_bounded(schema: dict[str, Any]) -> bool:
    if schema["type"] == "integer":
        low = {"minimum", "exclusiveMinimum"} & set(schema)
        high = {"maximum", "exclusiveMaximum"} & set(schema)
        return bool(low and high)
    if schema["type"] == "string":
        return "maxLength" in schema
    return False


@pytest.mark.parametrize("module", PAGE_EXAMPLES, ids=lambda m: m.__name__)
def test_every_number_and_string_a_client_sends_has_bounds(module: ModuleType) -> None:
    inputs = client_inputs(module)
    unbounded = [name for name, schema in inputs.items() if not is_bounded(schema)]

    assert unbounded == []
