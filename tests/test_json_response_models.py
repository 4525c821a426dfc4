"""A documented error model, and a returned JSONResponse that skips response_model
(docs/json_response.md)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from examples.json_response import (
    documented_error,
    model_bypass,
)

# --- documented_error.py ----------------------------------------------------


def test_typed_route_returns_item_or_404_message() -> None:
    client = TestClient(documented_error.app)

    found = client.get("/items/1")
    missing = client.get("/items/7")

    assert (found.status_code, found.json()) == (200, {"id": 1, "name": "Pen"})
    assert (missing.status_code, missing.json()) == (404, {"message": "Item not found"})


def test_responses_documents_the_404_model() -> None:
    openapi = TestClient(documented_error.app).get("/openapi.json").json()
    responses = openapi["paths"]["/items/{item_id}"]["get"]["responses"]

    assert set(responses) == {"200", "404", "422"}
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Item"
    }
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Message"
    }
    assert "Message" in openapi["components"]["schemas"]


def test_without_responses_the_404_is_undocumented() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> documented_error.Item:
        return JSONResponse({"message": "Item not found"}, status_code=404)

    openapi = TestClient(app).get("/openapi.json").json()

    assert set(openapi["paths"]["/items/{item_id}"]["get"]["responses"]) == {
        "200",
        "422",
    }


# --- model_bypass.py -------------------------------------------------------


def test_response_model_filters_a_returned_dict() -> None:
    response = TestClient(model_bypass.app).get("/filtered")

    assert response.json() == {"id": 1, "name": "Pen"}


def test_returned_json_response_is_not_filtered() -> None:
    response = TestClient(model_bypass.app).get("/leaky")

    assert response.json() == {"id": 1, "name": "Pen", "supplier_id": 17}


def test_returned_json_response_is_not_validated() -> None:
    response = TestClient(model_bypass.app).get("/contradicts")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_still_promises_the_model() -> None:
    paths = TestClient(model_bypass.app).get("/openapi.json").json()["paths"]

    for path in ("/leaky", "/contradicts"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content == {
            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
        }
