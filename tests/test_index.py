"""The two ways FastAPI turns a returned value into JSON (docs/index.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from examples.index import typed_items, untyped_items


def test_untyped_route_sends_every_key_it_was_given() -> None:
    response = TestClient(untyped_items.app).get("/items")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"name": "Stapler", "price": 7.25},
        {"name": "Desk lamp", "price": 24.0, "supplier_id": 17},
    ]
    assert response.headers["content-length"] == str(len(response.content))


def test_typed_route_sends_only_the_declared_fields() -> None:
    response = TestClient(typed_items.app).get("/items")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"name": "Stapler", "price": 7.25},
        {"name": "Desk lamp", "price": 24.0},
    ]


def test_both_send_compact_json() -> None:
    untyped = TestClient(untyped_items.app).get("/items").content
    typed = TestClient(typed_items.app).get("/items").content

    assert b", " not in untyped and b": " not in untyped
    assert typed == (
        b'[{"name":"Stapler","price":7.25},{"name":"Desk lamp","price":24.0}]'
    )


@pytest.mark.parametrize("module", [untyped_items, typed_items])
def test_both_send_only_content_type_and_content_length(module: ModuleType) -> None:
    response = TestClient(module.app).get("/items")

    assert set(response.headers) == {"content-type", "content-length"}
    assert response.headers["content-length"] == str(len(response.content))


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


@pytest.fixture
def json_dumps_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every value json.dumps is asked to serialize, by anyone."""
    seen: list[object] = []
    original = json.dumps

    def spy(obj: object, *args: object, **kwargs: object) -> str:
        seen.append(obj)
        return original(obj, *args, **kwargs)

    monkeypatch.setattr(json, "dumps", spy)
    return seen


def test_untyped_route_goes_through_json_response_and_json_dumps(
    json_renders: list[object], json_dumps_calls: list[object]
) -> None:
    response = TestClient(untyped_items.app).get("/items")

    assert len(json_renders) == 1
    # JSONResponse.render called json.dumps, once, on what it was handed.
    assert json_dumps_calls == json_renders
    assert response.json() == json_renders[0]


def test_typed_route_skips_json_response_and_json_dumps(
    json_renders: list[object], json_dumps_calls: list[object]
) -> None:
    response = TestClient(typed_items.app).get("/items")

    assert response.status_code == 200
    assert json_renders == []
    assert json_dumps_calls == []


def test_typed_route_answers_500_when_the_value_does_not_fit_the_model() -> None:
    app = FastAPI()

    @app.get("/items")
    def list_items() -> list[typed_items.Item]:
        return [{"name": "Stapler"}]  # no price

    response = TestClient(app, raise_server_exceptions=False).get("/items")

    assert response.status_code == 500
    with pytest.raises(ResponseValidationError, match="price"):
        TestClient(app).get("/items")


def test_untyped_route_encodes_dates_uuids_and_models_first(
    json_renders: list[object],
) -> None:
    app = FastAPI()

    @app.get("/")
    def root():
        return {
            "added": datetime(2025, 3, 1, 9, 30),
            "id": uuid.UUID(int=1),
            "item": typed_items.Item(name="Stapler", price=7.25),
        }

    response = TestClient(app).get("/")

    expected = {
        "added": "2025-03-01T09:30:00",
        "id": "00000000-0000-0000-0000-000000000001",
        "item": {"name": "Stapler", "price": 7.25},
    }
    assert response.json() == expected
    # JSONResponse was handed plain JSON types: jsonable_encoder ran before it.
    assert json_renders == [expected]


def test_typed_route_with_a_response_class_goes_through_that_class(
    json_renders: list[object],
) -> None:
    app = FastAPI()

    @app.get("/items", response_class=JSONResponse)
    def all_items() -> list[typed_items.Item]:
        return [{"name": "Stapler", "price": 7.25, "supplier_id": 17}]

    response = TestClient(app).get("/items")

    assert response.json() == [{"name": "Stapler", "price": 7.25}]
    assert json_renders == [[{"name": "Stapler", "price": 7.25}]]


def test_response_class_sets_the_documented_content_type() -> None:
    app = FastAPI()

    @app.get("/declared", response_class=HTMLResponse)
    def declared() -> str:
        return "<p>hi</p>"

    @app.get("/returned")
    def returned() -> HTMLResponse:
        return HTMLResponse("<p>hi</p>")

    paths = app.openapi()["paths"]

    assert list(paths["/declared"]["get"]["responses"]["200"]["content"]) == [
        "text/html"
    ]
    assert list(paths["/returned"]["get"]["responses"]["200"]["content"]) == [
        "application/json"
    ]


@pytest.mark.slow  # over 3 s
def test_test_client_warns_when_only_httpx_is_installed() -> None:
    code = (
        "import sys, warnings\n"
        "sys.modules['httpx2'] = None\n"
        "warnings.simplefilter('always')\n"
        "from starlette.testclient import TestClient\n"
        "from examples.index.typed_items import app\n"
        "print(TestClient(app).get('/items').status_code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )

    assert run.stdout == "200\n"
    assert "StarletteDeprecationWarning" in run.stderr
    assert "install `httpx2` instead" in run.stderr


def test_swagger_ui_page_loads_its_assets_from_a_cdn() -> None:
    client = TestClient(typed_items.app)
    page = client.get("/docs")

    assert page.status_code == 200
    assert "https://cdn.jsdelivr.net/npm/swagger-ui-dist" in page.text
    assert "/openapi.json" in page.text
    assert client.get("/openapi.json").json()["paths"]["/items"]
