"""A stream without media_type, and with it (docs/common_mistakes.md)."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.sse import EventSourceResponse
from fastapi.testclient import TestClient

from examples.common_mistakes import (
    stream_with_media_type,
    stream_without_media_type,
)
from tests.support import chunks_of

# --- 2. A stream without media_type -----------------------------------------

CSV_ROWS = [
    b"order_id,product,quantity\n",
    b"1,Pen,3\n",
    b"2,Notebook,1\n",
    b"3,Stapler,2\n",
]


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_stream_without_media_type_sends_no_headers_at_all(path: str) -> None:
    response = TestClient(stream_without_media_type.app).get(path)

    assert response.status_code == 200
    assert response.headers.get("content-type") is None
    assert set(response.headers) == set()
    assert response.content == b"".join(CSV_ROWS)


def test_stream_with_media_type_sends_content_type_and_file_name() -> None:
    response = TestClient(stream_with_media_type.app).get("/orders.csv")

    assert set(response.headers) == {"content-type", "content-disposition"}
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="orders.csv"'
    )


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_stream_with_media_type_sends_each_row_as_it_is_yielded(path: str) -> None:
    assert chunks_of(stream_with_media_type.app, path) == CSV_ROWS


def test_yielding_route_gets_its_media_type_from_the_subclass() -> None:
    client = TestClient(stream_with_media_type.app)
    response = client.get("/orders-yielded.csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert set(response.headers) == {"content-type"}
    openapi = client.get("/openapi.json").json()
    content = openapi["paths"]["/orders-yielded.csv"]["get"]["responses"]["200"]
    assert list(content["content"]) == ["text/csv"]


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_both_csv_routes_are_documented_as_text_csv(path: str) -> None:
    openapi = TestClient(stream_with_media_type.app).get("/openapi.json").json()

    assert openapi["paths"][path]["get"]["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string"}}
    }


def test_returning_a_stream_without_response_class_is_documented_as_json() -> None:
    app = stream_without_media_type.app
    openapi = TestClient(app).get("/openapi.json").json()

    content = openapi["paths"]["/orders.csv"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/json"]


class CSVSubclass(StreamingResponse):
    media_type = "text/csv"


class SSESubclass(EventSourceResponse):
    pass


@pytest.mark.parametrize(
    ("response_class", "status", "content_type", "body"),
    [
        (StreamingResponse, 200, None, "a,b\n"),
        (CSVSubclass, 200, "text/csv; charset=utf-8", "a,b\n"),
        (
            EventSourceResponse,
            200,
            "text/event-stream; charset=utf-8",
            'data: "a,b\\n"\n\n',
        ),
        (SSESubclass, 200, "text/event-stream; charset=utf-8", 'data: "a,b\\n"\n\n'),
        (PlainTextResponse, 500, "text/plain; charset=utf-8", "Internal Server Error"),
        (Response, 500, "text/plain; charset=utf-8", "Internal Server Error"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_what_a_yielding_route_sends_depends_on_its_response_class(
    response_class: type[Response], status: int, content_type: str | None, body: str
) -> None:
    app = FastAPI()

    @app.get("/rows", response_class=response_class)
    def rows():
        yield "a,b\n"

    response = TestClient(app, raise_server_exceptions=False).get("/rows")

    assert response.status_code == status
    assert response.headers.get("content-type") == content_type
    assert response.text == body


def test_yielding_route_without_response_class_sends_json_lines() -> None:
    app = FastAPI()

    @app.get("/orders")
    def orders():
        for order_id, product, quantity in stream_without_media_type.ORDERS:
            yield {"order_id": order_id, "product": product, "quantity": quantity}

    response = TestClient(app).get("/orders")

    assert response.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"order_id": 1, "product": "Pen", "quantity": 3},
        {"order_id": 2, "product": "Notebook", "quantity": 1},
        {"order_id": 3, "product": "Stapler", "quantity": 2},
    ]


@pytest.mark.parametrize(
    ("media_type", "sent"),
    [
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/plain", "text/plain; charset=utf-8"),
        ("text/plain; charset=latin-1", "text/plain; charset=latin-1"),
        ("application/x-ndjson", "application/x-ndjson"),
    ],
)
def test_text_media_types_get_a_utf_8_charset(media_type: str, sent: str) -> None:
    app = FastAPI()

    @app.get("/stream")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter(["a\n"]), media_type=media_type)

    assert TestClient(app).get("/stream").headers["content-type"] == sent
