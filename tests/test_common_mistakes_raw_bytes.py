"""Raw bytes from a JSON route, and Response instead (docs/common_mistakes.md)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from pydantic_core import PydanticSerializationError

from examples.common_mistakes import (
    raw_bytes_from_json_route,
    raw_bytes_with_response,
)

# --- 3. Raw bytes from a JSON route -----------------------------------------

PIXEL_PNG = raw_bytes_from_json_route.PIXEL_PNG


def test_the_pixel_is_a_png_that_is_not_utf_8() -> None:
    assert raw_bytes_with_response.PIXEL_PNG == PIXEL_PNG
    assert PIXEL_PNG.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(UnicodeDecodeError):
        PIXEL_PNG.decode()


def test_utf_8_bytes_are_sent_as_a_json_string() -> None:
    response = TestClient(raw_bytes_from_json_route.app).get("/greeting")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'"hello"'
    assert response.json() == "hello"


def test_binary_bytes_from_an_untyped_route_are_a_500() -> None:
    app = raw_bytes_from_json_route.app
    response = TestClient(app, raise_server_exceptions=False).get("/pixel.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(UnicodeDecodeError):
        TestClient(app).get("/pixel.png")


def test_binary_bytes_from_a_bytes_typed_route_are_a_500() -> None:
    app = raw_bytes_from_json_route.app
    response = TestClient(app, raise_server_exceptions=False).get("/pixel-typed.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(PydanticSerializationError, match="invalid utf-8"):
        TestClient(app).get("/pixel-typed.png")


def test_response_sends_the_bytes_unchanged() -> None:
    response = TestClient(raw_bytes_with_response.app).get("/pixel.png")

    assert response.status_code == 200
    assert set(response.headers) == {"content-type", "content-length"}
    assert response.headers["content-type"] == "image/png"
    assert response.content == PIXEL_PNG


def test_plain_text_route_sends_the_text_itself() -> None:
    response = TestClient(raw_bytes_with_response.app).get("/greeting")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == b"hello"


def openapi_200(app: FastAPI, path: str) -> dict[str, object]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]


def test_mistake_is_documented_as_json() -> None:
    documented = openapi_200(raw_bytes_from_json_route.app, "/pixel.png")

    assert list(documented["content"]) == ["application/json"]


def test_fix_is_documented_as_png_only() -> None:
    documented = openapi_200(raw_bytes_with_response.app, "/pixel.png")

    assert documented["content"] == {"image/png": {}}


def test_you_need_both_response_class_and_responses_for_the_docs() -> None:
    app = FastAPI()
    png = {200: {"content": {"image/png": {}}}}

    @app.get("/class-only", response_class=Response)
    def class_only() -> Response:
        return Response(PIXEL_PNG, media_type="image/png")

    @app.get("/responses-only", responses=png)
    def responses_only() -> Response:
        return Response(PIXEL_PNG, media_type="image/png")

    assert "content" not in openapi_200(app, "/class-only")
    assert openapi_200(app, "/responses-only")["content"] == {
        "application/json": {"schema": {}},
        "image/png": {},
    }
