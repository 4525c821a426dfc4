"""The two ways FastAPI turns a returned value into JSON (docs/index.md)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.exceptions import ResponseValidationError
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from examples.overview import typed_items, untyped_items


def test_untyped_route_sends_every_key_it_was_given() -> None:
    response = TestClient(untyped_items.app).get("/items")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"name": "Pen", "price": 1.5},
        {"name": "Notebook", "price": 4.0, "supplier_id": 17},
    ]
    assert response.headers["content-length"] == str(len(response.content))


def test_typed_route_sends_only_the_declared_fields() -> None:
    response = TestClient(typed_items.app).get("/items")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"name": "Pen", "price": 1.5},
        {"name": "Notebook", "price": 4.0},
    ]


def test_both_send_compact_json() -> None:
    untyped = TestClient(untyped_items.app).get("/items").content
    typed = TestClient(typed_items.app).get("/items").content

    assert b", " not in untyped and b": " not in untyped
    assert typed == b'[{"name":"Pen","price":1.5},{"name":"Notebook","price":4.0}]'


@pytest.fixture
def json_renders(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every value JSONResponse is asked to render."""
    seen: list[object] = []
    original = JSONResponse.render

    def spy(self: JSONResponse, content: object) -> bytes:
        seen.append(content)
        return original(self, content)

    monkeypatch.setattr(JSONResponse, "render", spy)
    return seen


def test_untyped_route_goes_through_json_response(json_renders: list[object]) -> None:
    TestClient(untyped_items.app).get("/items")

    assert len(json_renders) == 1


def test_typed_route_skips_json_response(json_renders: list[object]) -> None:
    response = TestClient(typed_items.app).get("/items")

    assert response.status_code == 200
    assert json_renders == []


def test_typed_route_answers_500_when_the_value_does_not_fit_the_model() -> None:
    app = FastAPI()

    @app.get("/items")
    def list_items() -> list[typed_items.Item]:
        return [{"name": "Pen"}]  # no price

    response = TestClient(app, raise_server_exceptions=False).get("/items")

    assert response.status_code == 500
    with pytest.raises(ResponseValidationError, match="price"):
        TestClient(app).get("/items")
