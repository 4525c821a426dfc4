"""Routing errors, which HTTPException class a handler should be registered for,
and raise versus return (docs/raising_errors.md)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import FastAPIError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.raising_errors import (
    handler_catches_all,
    handler_misses_404,
    raise_or_return,
    routing_errors,
)

# --- routing_errors.py -----------------------------------------------------


def test_unknown_path_gets_404_with_reason_phrase() -> None:
    response = TestClient(routing_errors.app).get("/publishers")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert response.headers["content-type"] == "application/json"


def test_wrong_method_gets_405_and_allow() -> None:
    response = TestClient(routing_errors.app).delete("/authors")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert [name for name, _ in response.headers.raw] == [
        b"allow",
        b"content-length",
        b"content-type",
    ]
    assert response.headers["allow"] == "GET"


def test_get_route_does_not_answer_head() -> None:
    response = TestClient(routing_errors.app).head("/authors")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.content == b""


def test_options_gets_405_without_middleware() -> None:
    response = TestClient(routing_errors.app).options("/authors")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_cors_middleware_answers_a_preflight_options_first() -> None:
    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://example.org"])
    app.get("/authors")(routing_errors.list_authors)

    response = TestClient(app).options(
        "/authors",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://example.org"


@pytest.mark.parametrize(
    "headers", [{}, {"Origin": "https://example.org"}], ids=["plain", "origin-only"]
)
def test_cors_middleware_leaves_a_plain_options_to_the_405(
    headers: dict[str, str],
) -> None:
    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://example.org"])
    app.get("/authors")(routing_errors.list_authors)

    response = TestClient(app).options("/authors", headers=headers)

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_allow_lists_only_the_first_route_of_a_shared_path() -> None:
    client = TestClient(routing_errors.app)

    wrong = client.delete("/books")
    added = client.post("/books")

    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET"
    assert added.status_code == 201
    assert added.json() == {"status": "added"}


def test_routes_answer_their_own_methods() -> None:
    client = TestClient(routing_errors.app)

    assert client.get("/authors").json() == ["Herbert", "Austen"]
    assert client.get("/books").json() == ["Dune", "Emma"]


def test_routing_raises_starlettes_class_your_route_fastapis() -> None:
    seen: dict[str, type] = {}
    app = FastAPI()

    @app.exception_handler(StarletteHTTPException)
    async def record(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        seen[f"{request.method} {request.url.path}"] = type(exc)
        return JSONResponse({}, status_code=exc.status_code)

    @app.get("/authors")
    def list_authors() -> list[str]:
        raise HTTPException(status_code=404)

    client = TestClient(app)
    client.get("/publishers")
    client.delete("/authors")
    client.get("/authors")

    assert seen == {
        "GET /publishers": StarletteHTTPException,
        "DELETE /authors": StarletteHTTPException,
        "GET /authors": HTTPException,
    }


# --- handler_misses_404.py (the mistake) -----------------------------------


def test_handler_for_fastapi_class_reshapes_raised_errors() -> None:
    response = TestClient(handler_misses_404.app).get("/books/7")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "message": "No book with this id"}
    }


def test_handler_for_fastapi_class_misses_unknown_paths() -> None:
    response = TestClient(handler_misses_404.app).get("/authors")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_handler_for_fastapi_class_misses_wrong_methods() -> None:
    response = TestClient(handler_misses_404.app).delete("/books/1")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


def test_mistake_app_answers_known_books() -> None:
    response = TestClient(handler_misses_404.app).get("/books/1")

    assert response.status_code == 200
    assert response.json() == {"title": "Dune"}


# --- handler_catches_all.py (the fix) --------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/books/7", 404, "No book with this id"),
        ("GET", "/authors", 404, "Not Found"),
        ("DELETE", "/books/1", 405, "Method Not Allowed"),
    ],
)
def test_handler_for_starlette_class_sees_every_error(
    method: str, path: str, status: int, message: str
) -> None:
    response = TestClient(handler_catches_all.app).request(method, path)

    assert response.status_code == status
    assert response.json() == {"error": {"status": status, "message": message}}


def test_fix_keeps_the_allow_header() -> None:
    response = TestClient(handler_catches_all.app).delete("/books/1")

    assert response.headers["allow"] == "GET"


def test_fix_app_answers_known_books() -> None:
    response = TestClient(handler_catches_all.app).get("/books/2")

    assert response.status_code == 200
    assert response.json() == {"title": "Emma"}


# --- raise_or_return.py ----------------------------------------------------


def test_error_raised_in_a_dependency_goes_through_the_handler() -> None:
    response = TestClient(raise_or_return.app).get("/books/7")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "message": "No book with this id"}
    }


def test_returned_error_skips_the_handler() -> None:
    response = TestClient(raise_or_return.app).get("/old/books/7")

    assert response.status_code == 404
    assert response.json() == {"detail": "No book with this id"}


def test_both_routes_answer_known_books() -> None:
    client = TestClient(raise_or_return.app)

    assert client.get("/books/1").json() == {"title": "Dune"}
    assert client.get("/old/books/2").json() == {"title": "Emma"}


def test_returning_a_response_needs_response_model_none() -> None:
    app = FastAPI()

    with pytest.raises(FastAPIError, match="Invalid args for response field"):

        @app.get("/old/books/{book_id}")
        def read_book_old(book_id: int) -> dict[str, str] | JSONResponse:
            return {}
