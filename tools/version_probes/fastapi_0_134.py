"""FastAPI 0.134: a path operation that yields is streamed.

Without a response_class, `def` and `async def` generators send JSON Lines,
and a generator typed `-> AsyncIterable[Item]` validates each item. With
response_class=StreamingResponse both send the raw chunks.

Before (0.133.1): a `def` generator without response_class sent everything
as one JSON list; an `async def` one answered 500; with
response_class=StreamingResponse a `def` generator already streamed its
chunks but an `async def` one answered 500; and declaring a route typed
`-> AsyncIterable[Item]` raised FastAPIError. A route that builds and
returns a StreamingResponse itself streams in both.
"""

from collections.abc import AsyncIterable

from _verdict import verdict
from fastapi import FastAPI
from fastapi.exceptions import FastAPIError
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Item(BaseModel):
    name: str


app = FastAPI()


@app.get("/def-rows")
def def_rows():
    yield {"a": 1}
    yield {"b": 2}


@app.get("/async-rows")
async def async_rows():
    yield {"a": 1}
    yield {"b": 2}


@app.get("/def-raw", response_class=StreamingResponse)
def def_raw():
    yield "line 1\n"
    yield b"line 2\n"


@app.get("/async-raw", response_class=StreamingResponse)
async def async_raw():
    yield "line 1\n"
    yield b"line 2\n"


@app.get("/built")
def built():
    def chunks():
        yield "line 1\n"
        yield "line 2\n"

    return StreamingResponse(chunks(), media_type="text/plain")


client = TestClient(app, raise_server_exceptions=False)


def seen(path):
    response = client.get(path)
    return response.status_code, response.headers.get("content-type"), response.text


def declare_typed_stream():
    typed = FastAPI()
    try:

        @typed.get("/items")
        async def items() -> AsyncIterable[Item]:
            yield Item(name="pen")
            yield {"name": "ink", "extra": "dropped"}

    except FastAPIError:
        return "FastAPIError"
    response = TestClient(typed).get("/items")
    return response.status_code, response.headers.get("content-type"), response.text


JSON_LINES = (200, "application/jsonl", '{"a": 1}\n{"b": 2}\n')
FAILED = (500, "text/plain; charset=utf-8", "Internal Server Error")
RAW = (200, None, "line 1\nline 2\n")
BUILT = (200, "text/plain; charset=utf-8", "line 1\nline 2\n")

verdict(
    (
        "def generator, no response_class",
        seen("/def-rows"),
        (200, "application/json", '[{"a":1},{"b":2}]'),
        JSON_LINES,
    ),
    ("async generator, no response_class", seen("/async-rows"), FAILED, JSON_LINES),
    ("def generator, StreamingResponse", seen("/def-raw"), RAW, RAW),
    ("async generator, StreamingResponse", seen("/async-raw"), FAILED, RAW),
    ("a StreamingResponse built by the route", seen("/built"), BUILT, BUILT),
    (
        "route typed -> AsyncIterable[Item]",
        declare_typed_stream(),
        "FastAPIError",
        (200, "application/jsonl", '{"name":"pen"}\n{"name":"ink"}\n'),
    ),
)
