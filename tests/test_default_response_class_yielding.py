"""Routes that yield under a default response class (docs/default_response_class.md)."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Response
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    StreamingResponse,
)
from fastapi.sse import EventSourceResponse
from fastapi.testclient import TestClient

from tests.support import documented_200

# --- routes that yield under a default response class -------------------------


def yielding_app(default: type[Response] | None) -> FastAPI:
    app = FastAPI() if default is None else FastAPI(default_response_class=default)

    @app.get("/lines")
    def lines():  # type: ignore[no-untyped-def]
        yield {"n": 1}
        yield {"n": 2}

    @app.get("/async-lines")
    async def async_lines():  # type: ignore[no-untyped-def]
        yield {"n": 1}

    @app.get("/raw", response_class=StreamingResponse)
    def raw():  # type: ignore[no-untyped-def]
        yield "a,b\n"

    @app.get("/events", response_class=EventSourceResponse)
    def events():  # type: ignore[no-untyped-def]
        yield {"n": 1}

    return app


def test_without_a_default_a_yielding_route_sends_json_lines() -> None:
    app = yielding_app(None)

    response = TestClient(app).get("/lines")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"n": 1},
        {"n": 2},
    ]
    assert list(documented_200(app, "/lines")) == ["application/jsonl"]


@pytest.mark.parametrize(
    ("default", "error", "message"),
    [
        (JSONResponse, TypeError, "generator is not JSON serializable"),
        (ORJSONResponse, TypeError, "not JSON serializable: (async_)?generator"),
        (HTMLResponse, AttributeError, "generator' object has no attribute"),
    ],
)
@pytest.mark.parametrize("path", ["/lines", "/async-lines"])
@pytest.mark.filterwarnings("ignore::fastapi.exceptions.FastAPIDeprecationWarning")
def test_any_default_class_makes_a_yielding_route_a_500(
    default: type[Response], error: type[Exception], message: str, path: str
) -> None:
    app = yielding_app(default)

    response = TestClient(app, raise_server_exceptions=False).get(path)

    assert response.status_code == 500
    with pytest.raises(error, match=message):
        TestClient(app).get(path)
    # ... while the OpenAPI document promises the default's media type.
    assert list(documented_200(app, path)) == [default.media_type]


@pytest.mark.parametrize("default", [JSONResponse, ORJSONResponse, HTMLResponse])
def test_a_yielding_route_with_its_own_stream_class_still_streams(
    default: type[Response],
) -> None:
    client = TestClient(yielding_app(default))

    raw = client.get("/raw")
    events = client.get("/events")

    assert (raw.status_code, raw.text) == (200, "a,b\n")
    assert events.status_code == 200
    assert events.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert events.text == 'data: {"n": 1}\n\n'
