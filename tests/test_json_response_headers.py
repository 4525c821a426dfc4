"""JSONResponse's headers: your own, the defaults, and the ones injected into a
Response parameter (docs/json_response.md)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from examples.json_response import (
    custom_error,
    header_precedence,
    injected_headers,
)


def raw_names(response) -> list[bytes]:
    return [name for name, _ in response.headers.raw]


# --- custom_error.py -------------------------------------------------------


def test_missing_book_gets_404_body_and_header() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert response.status_code == 404
    assert response.json() == {"error": "book_not_found", "book_id": 0}
    assert response.headers["x-error-code"] == "BOOK_NOT_FOUND"


def test_error_response_has_exactly_your_header_plus_two() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert set(response.headers) == {"x-error-code", "content-length", "content-type"}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.content))


def test_header_names_are_lowercase_on_the_wire() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    # headers.raw keeps the bytes as the app sent them: "X-Error-Code" was lowercased.
    assert raw_names(response) == [b"x-error-code", b"content-length", b"content-type"]


def test_found_book_is_plain_json_with_two_headers() -> None:
    response = TestClient(custom_error.app).get("/books/1")

    assert response.status_code == 200
    assert response.json() == {"id": 1, "title": "Dune"}
    assert set(response.headers) == {"content-length", "content-type"}


def test_json_response_body_is_compact_and_not_ascii_escaped() -> None:
    body = JSONResponse({"name": "Café €", "tags": [1, 2]}).body

    assert body == '{"name":"Café €","tags":[1,2]}'.encode()


def test_json_response_uses_the_documented_json_dumps_options() -> None:
    """Read the installed Starlette source: the page quotes these options."""
    import starlette.responses

    source = Path(starlette.responses.__file__).read_text()
    render = source[source.index("class JSONResponse") :]
    render = render[: render.index("class RedirectResponse")]

    assert "json.dumps(" in render
    for option in (
        "ensure_ascii=False",
        "allow_nan=False",
        "indent=None",
        'separators=(",", ":")',
    ):
        assert option in render


# --- header_precedence.py --------------------------------------------------


@pytest.mark.parametrize("path", ["/via-media-type", "/via-headers"])
def test_your_content_type_wins_and_is_sent_once(path: str) -> None:
    response = TestClient(header_precedence.app).get(path)

    assert response.status_code == 409
    assert response.headers.get_list("content-type") == ["application/problem+json"]
    assert set(response.headers) == {"content-length", "content-type"}
    assert json.loads(response.content) == header_precedence.PROBLEM


def test_a_content_length_you_pass_is_sent_as_given() -> None:
    response = JSONResponse({"a": 1}, headers={"Content-Length": "3"})

    assert len(response.body) == 7
    assert response.headers.getlist("content-length") == ["3"]


def test_no_other_default_headers_are_added() -> None:
    app = FastAPI()

    @app.get("/")
    def root() -> JSONResponse:
        return JSONResponse({"a": 1}, headers={"X-One": "1"})

    response = TestClient(app).get("/")

    assert raw_names(response) == [b"x-one", b"content-length", b"content-type"]


# --- injected_headers.py ---------------------------------------------------


def test_injected_response_headers_kept_for_a_dict() -> None:
    response = TestClient(injected_headers.app).get("/dict")

    assert response.headers["x-request-cost"] == "3"


def test_injected_response_headers_dropped_for_your_own_response() -> None:
    response = TestClient(injected_headers.app).get("/dropped")

    assert response.status_code == 200
    assert "x-request-cost" not in response.headers
    assert set(response.headers) == {"content-length", "content-type"}


def test_headers_on_the_returned_response_are_sent() -> None:
    response = TestClient(injected_headers.app).get("/fixed")

    assert response.headers["x-request-cost"] == "3"


def test_injected_status_code_is_dropped_too() -> None:
    app = FastAPI()

    @app.get("/")
    def root(response: Response) -> JSONResponse:
        response.status_code = 202
        return JSONResponse({"ok": True})

    assert TestClient(app).get("/").status_code == 200


def test_injected_headers_from_a_dependency_are_dropped_too() -> None:
    def add_cost(response: Response) -> None:
        response.headers["X-Request-Cost"] = "3"

    app = FastAPI()

    @app.get("/dict", dependencies=[Depends(add_cost)])
    def as_dict() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/own", dependencies=[Depends(add_cost)])
    def own() -> JSONResponse:
        return JSONResponse({"ok": True})

    client = TestClient(app)

    assert client.get("/dict").headers["x-request-cost"] == "3"
    assert "x-request-cost" not in client.get("/own").headers


@pytest.mark.parametrize(
    "value", [datetime(2025, 1, 1), uuid.UUID(int=1), Decimal("1.5")]
)
def test_non_json_types_raise_type_error_when_the_response_is_created(
    value: object,
) -> None:
    with pytest.raises(TypeError, match="is not JSON serializable"):
        JSONResponse({"v": value})


def test_clients_match_header_names_in_any_case() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert response.headers["X-Error-Code"] == response.headers["x-error-code"]


def test_http_exception_sends_a_detail_body() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> None:
        raise HTTPException(status_code=404, detail="Item not found")

    response = TestClient(app).get("/items/0")

    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}
