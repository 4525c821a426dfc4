"""Behaviour of the examples on docs/handling_errors.md about the 500 path: a
handler for Exception, exceptions raised in middleware, and CORS headers on
error responses."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.testclient import TestClient

from examples.handling_errors import (
    catch_all,
    cors_on_errors,
    middleware_raises,
    middleware_returns,
)

ORIGIN = {"Origin": "https://shop.example"}


# --- catch_all ------------------------------------------------------------------


def test_a_working_route_is_untouched_by_the_exception_handler() -> None:
    response = TestClient(catch_all.app).get("/average/ada")

    assert response.status_code == 200
    assert response.json() == {"average": 8.0}


def test_the_exception_handler_picks_the_500_body() -> None:
    client = TestClient(catch_all.app, raise_server_exceptions=False)
    response = client.get("/average/bob")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "internal_error"}
    assert "division" not in response.text


def test_test_client_still_re_raises_the_exception() -> None:
    with pytest.raises(ZeroDivisionError):
        TestClient(catch_all.app).get("/average/bob")


def test_without_the_handler_the_500_body_is_starlettes_plain_text() -> None:
    app = catch_all.app
    handler = app.exception_handlers.pop(Exception)
    app.middleware_stack = None
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/average/bob")
    finally:
        app.exception_handlers[Exception] = handler
        app.middleware_stack = None

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Internal Server Error"


def test_once_a_stream_has_started_the_handlers_response_is_dropped() -> None:
    handled: list[str] = []
    app = FastAPI()

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        handled.append(type(exc).__name__)
        return JSONResponse({"error": "internal_error"}, status_code=500)

    @app.get("/rows", response_class=StreamingResponse)
    async def rows():  # type: ignore[no-untyped-def]
        yield b"row 1\n"
        raise ZeroDivisionError

    response = TestClient(app, raise_server_exceptions=False).get("/rows")

    assert handled == ["ZeroDivisionError"]
    assert response.status_code == 200
    assert response.text == "row 1\n"


# --- middleware_raises / middleware_returns -------------------------------------


@pytest.mark.parametrize("example", [middleware_raises, middleware_returns])
def test_the_right_key_gets_through(example) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(example.app)
    response = client.get("/stats", headers={"x-api-key": "s3cret"})

    assert response.status_code == 200
    assert response.json() == {"orders": 42}


@pytest.mark.parametrize("key", [b"s3cre", b"s3cret!", b"\xe9", b""])
def test_a_wrong_or_non_ascii_key_gets_the_401(key: bytes) -> None:
    # compare_digest refuses non-ASCII str, so the example compares bytes.
    client = TestClient(middleware_returns.app)
    response = client.get("/stats", headers=[(b"x-api-key", key)])

    assert response.status_code == 401
    assert response.json() == {"detail": "Missing or wrong API key"}


def test_an_http_exception_raised_in_middleware_becomes_a_500() -> None:
    client = TestClient(middleware_raises.app, raise_server_exceptions=False)
    response = client.get("/stats")

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Internal Server Error"


def test_test_client_re_raises_the_http_exception_from_middleware() -> None:
    from fastapi import HTTPException

    with pytest.raises(HTTPException) as raised:
        TestClient(middleware_raises.app).get("/stats")
    assert raised.value.status_code == 401


def test_returning_a_response_from_middleware_sends_the_401() -> None:
    response = TestClient(middleware_returns.app).get(
        "/stats", headers={"x-api-key": "wrong"}
    )

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Missing or wrong API key"}


def test_the_middleware_stack_from_outside_in() -> None:
    layer = middleware_returns.app.build_middleware_stack()
    names = []
    while hasattr(layer, "app") and type(layer).__name__ != "APIRouter":
        names.append(type(layer).__name__)
        layer = layer.app

    assert names[0] == "ServerErrorMiddleware"
    assert names[-2:] == ["ExceptionMiddleware", "AsyncExitStackMiddleware"]
    # your middleware sits between them: outside the handlers for HTTPException
    assert names.index("BaseHTTPMiddleware") < names.index("ExceptionMiddleware")
    # FastAPI's other layers (ExceptionTelemetryMiddleware, AppBodyLimitMiddleware
    # on the pins; none on the oldest pair) call none of your handlers
    others = set(names) - {
        "ServerErrorMiddleware",
        "BaseHTTPMiddleware",
        "ExceptionMiddleware",
        "AsyncExitStackMiddleware",
    }
    assert others <= {"ExceptionTelemetryMiddleware", "AppBodyLimitMiddleware"}
    assert names.count("BaseHTTPMiddleware") == 1
    assert names.index("ServerErrorMiddleware") == 0


def test_a_handler_for_500_is_the_handler_for_exception() -> None:
    app = FastAPI()

    @app.exception_handler(500)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=500, content={"mine": type(exc).__name__})

    @app.get("/raised")
    def raised() -> None:
        raise HTTPException(status_code=500, detail="boom")

    @app.get("/bug")
    def bug() -> float:
        return 1 / 0

    client = TestClient(app, raise_server_exceptions=False)
    # an HTTPException with status 500 keeps FastAPI's default handler...
    assert client.get("/raised").json() == {"detail": "boom"}
    # ...while a bug reaches the handler registered for 500
    assert client.get("/bug").json() == {"mine": "ZeroDivisionError"}


def test_the_exception_handler_decides_the_whole_response() -> None:
    async def busy(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            status_code=503, content={"error": "busy"}, headers={"retry-after": "5"}
        )

    app = FastAPI()
    app.add_exception_handler(Exception, busy)
    app.get("/average/{player}")(catch_all.average)

    response = TestClient(app, raise_server_exceptions=False).get("/average/bob")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"error": "busy"}


def test_with_debug_true_the_exception_handler_is_skipped() -> None:
    app = FastAPI(debug=True)
    app.add_exception_handler(Exception, catch_all.unexpected_error)
    app.get("/average/{player}")(catch_all.average)
    client = TestClient(app, raise_server_exceptions=False)

    text = client.get("/average/bob")
    html = client.get("/average/bob", headers={"accept": "text/html"})

    assert text.status_code == html.status_code == 500
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero" in text.text
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert "ZeroDivisionError" in html.text


# --- cors_on_errors -------------------------------------------------------------


def test_a_success_carries_the_cors_headers() -> None:
    response = TestClient(cors_on_errors.app).get("/prices/1", headers=ORIGIN)

    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "per_euro": 4}
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    assert response.headers["vary"] == "Origin"


@pytest.mark.parametrize("path", ["/prices/9", "/prices/0", "/nowhere"])
def test_a_handled_error_carries_the_cors_headers(path: str) -> None:
    response = TestClient(cors_on_errors.app).get(path, headers=ORIGIN)

    assert 400 <= response.status_code < 500
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    assert response.headers["vary"] == "Origin"


def test_an_unhandled_500_lacks_the_cors_headers() -> None:
    client = TestClient(cors_on_errors.app, raise_server_exceptions=False)
    response = client.get("/prices/2", headers=ORIGIN)

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert "access-control-allow-origin" not in response.headers
    assert "vary" not in response.headers


def test_a_handler_for_exception_does_not_bring_the_cors_headers_back() -> None:
    app = cors_on_errors.app
    app.exception_handlers[Exception] = catch_all.unexpected_error
    app.middleware_stack = None
    try:
        client = TestClient(app, raise_server_exceptions=False)
        response = client.get("/prices/2", headers=ORIGIN)
    finally:
        del app.exception_handlers[Exception]
        app.middleware_stack = None

    assert response.status_code == 500
    assert response.json() == {"error": "internal_error"}
    assert "access-control-allow-origin" not in response.headers


def test_an_origin_not_allowed_gets_no_cors_headers_even_on_success() -> None:
    response = TestClient(cors_on_errors.app).get(
        "/prices/1", headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_only_the_exception_handler_sees_what_middleware_raises() -> None:
    app = middleware_raises.app
    app.exception_handlers[Exception] = catch_all.unexpected_error
    app.middleware_stack = None
    try:
        client = TestClient(app, raise_server_exceptions=False)
        response = client.get("/stats")
    finally:
        del app.exception_handlers[Exception]
        app.middleware_stack = None

    assert response.status_code == 500
    assert response.json() == {"error": "internal_error"}


@pytest.mark.parametrize("example", [middleware_raises, middleware_returns])
def test_only_stats_needs_the_key(example) -> None:  # type: ignore[no-untyped-def]
    response = TestClient(example.app).get("/openapi.json")

    assert response.status_code == 200
    assert "/stats" in response.json()["paths"]


def test_the_fixed_route_answers_a_free_item_with_a_409_carrying_cors_headers() -> None:
    client = TestClient(cors_on_errors.app)

    fixed = client.get("/prices-fixed/2", headers=ORIGIN)
    assert fixed.status_code == 409
    assert fixed.json() == {"detail": "Item has no price"}
    assert fixed.headers["access-control-allow-origin"] == ORIGIN["Origin"]
    assert fixed.headers["vary"] == "Origin"
    assert client.get("/prices-fixed/1").json() == {"item_id": 1, "per_euro": 4}
    assert client.get("/prices-fixed/9").status_code == 404


def test_a_handler_for_the_bugs_class_keeps_the_cors_headers_one_for_500_does_not() -> (
    None
):
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=500, content={"error": "internal_error"})

    allowed = {}
    for key in (ZeroDivisionError, 500):
        app = FastAPI()
        app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"])
        app.add_exception_handler(key, internal)
        app.get("/prices/{item_id}")(cors_on_errors.price)
        client = TestClient(app, raise_server_exceptions=False)
        response = client.get("/prices/2", headers=ORIGIN)
        assert (response.status_code, response.json()) == (
            500,
            {"error": "internal_error"},
        )
        allowed[key] = response.headers.get("access-control-allow-origin")

    # ExceptionMiddleware, inside CORSMiddleware, runs the class handler
    assert allowed == {ZeroDivisionError: "https://shop.example", 500: None}


def test_the_fixed_average_answers_a_player_without_scores() -> None:
    client = TestClient(catch_all.app)

    assert client.get("/average-fixed/bob").json() == {"average": None}
    assert client.get("/average-fixed/ada").json() == {"average": 8.0}
    missing = client.get("/average-fixed/eve")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Unknown player"})
