"""A returned JSONResponse skips response_model, and the Response parameter keeps it
(docs/common_mistakes.md)."""

from __future__ import annotations

from types import ModuleType

import pytest
from fastapi import FastAPI, Response
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from examples.common_mistakes import (
    jsonresponse_leaks_secret,
    response_parameter_keeps_filter,
)


def openapi_200(app: FastAPI, path: str) -> dict[str, object]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]


# --- 4. JSONResponse skips response_model -----------------------------------


def test_jsonresponse_sends_the_password_hash() -> None:
    response = TestClient(jsonresponse_leaks_secret.app).get("/users/1")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "id": 1,
        "email": "ada@example.com",
        "password_hash": "not-a-real-hash",
    }


def test_response_parameter_keeps_the_header_and_the_filter() -> None:
    response = TestClient(response_parameter_keeps_filter.app).get("/users/1")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"id": 1, "email": "ada@example.com"}


@pytest.mark.parametrize(
    "module", [jsonresponse_leaks_secret, response_parameter_keeps_filter]
)
def test_both_are_documented_as_returning_a_user(module: ModuleType) -> None:
    documented = openapi_200(module.app, "/users/{user_id}")

    assert documented["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/User"}}
    }
    openapi = TestClient(module.app).get("/openapi.json").json()
    assert set(openapi["components"]["schemas"]["User"]["properties"]) == {
        "id",
        "email",
    }


def test_any_returned_response_skips_validation_and_filtering() -> None:
    app = FastAPI()
    row = b'{"id":1,"email":"ada@example.com","password_hash":"x"}'

    @app.get("/raw", response_model=jsonresponse_leaks_secret.User)
    def raw() -> Response:
        return Response(row, media_type="application/json")

    @app.get("/text", response_model=jsonresponse_leaks_secret.User)
    def text() -> Response:
        return PlainTextResponse("not a user at all")

    client = TestClient(app)
    assert client.get("/raw").content == row
    response = client.get("/text")
    assert response.status_code == 200
    assert response.text == "not a user at all"
