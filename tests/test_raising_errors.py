"""Raising HTTPException: status, detail shapes, headers and the default detail
(docs/raising_errors.md)."""

from __future__ import annotations

import json
import math
import sys
import typing
from datetime import datetime
from http import HTTPStatus
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, HTTPException
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.raising_errors import (
    default_detail,
    detail_shapes,
    error_headers,
    not_found,
)
from tests.hostile import MAX_BODY


def raw_names(response) -> list[bytes]:
    return [name for name, _ in response.headers.raw]


# --- not_found.py ----------------------------------------------------------


def test_raised_404_sends_detail_as_json() -> None:
    response = TestClient(not_found.app).get("/books/0")

    assert response.status_code == 404
    assert response.json() == {"detail": "No book with this id"}
    assert response.headers["content-type"] == "application/json"


def test_raised_error_has_only_the_two_json_headers() -> None:
    response = TestClient(not_found.app).get("/books/0")

    assert raw_names(response) == [b"content-length", b"content-type"]
    assert response.headers["content-length"] == str(len(response.content))


def test_a_raised_status_is_not_documented() -> None:
    operation = not_found.app.openapi()["paths"]["/books/{book_id}"]["get"]

    assert set(operation["responses"]) == {"200", "422"}


def test_known_book_is_answered_normally() -> None:
    response = TestClient(not_found.app).get("/books/1")

    assert response.status_code == 200
    assert response.json() == {"id": 1, "title": "Dune"}


# --- detail_shapes.py ------------------------------------------------------


def test_dict_detail_is_sent_under_detail() -> None:
    response = TestClient(detail_shapes.app).get("/books/7")

    assert response.status_code == 404
    assert response.json() == {"detail": {"code": "book_not_found", "book_id": 7}}


def test_list_detail_reports_every_problem() -> None:
    response = TestClient(detail_shapes.app).post(
        "/loans", params={"book_ids": [1, 7, 9]}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {"book_id": 7, "code": "book_not_found"},
            {"book_id": 9, "code": "book_not_found"},
        ]
    }


def test_loan_of_known_books_succeeds() -> None:
    response = TestClient(detail_shapes.app).post("/loans", params={"book_ids": [1, 2]})

    assert response.status_code == 200
    assert response.json() == {"lent": ["Dune", "Emma"]}


def test_too_many_books_are_refused_before_the_route_runs() -> None:
    response = TestClient(detail_shapes.app).post(
        "/loans", params={"book_ids": list(range(11))}
    )

    assert response.status_code == 422


BIG_JSON = json.dumps({"book_ids": [1] * 600_000}).encode()  # 1.8 MB


def test_a_body_over_a_mebibyte_gets_a_4xx_with_a_bounded_body() -> None:
    # With the ids in the JSON body, the 422 echoed the whole rejected list
    # (600 kB here, 4 MB on uvicorn for a 4 MB body). The ids are a query list
    # now, so the body is never read and the URL limit bounds the echo.
    assert len(BIG_JSON) > MAX_BODY

    response = TestClient(detail_shapes.app).post(
        "/loans", content=BIG_JSON, headers={"content-type": "application/json"}
    )

    assert 400 <= response.status_code < 500
    assert len(response.content) < 1024


def app_raising(detail: object) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def fail() -> None:
        raise HTTPException(status_code=400, detail=detail)

    return app


class Author(BaseModel):
    name: str


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (datetime(2026, 1, 2, 3, 4, 5), TypeError),
        (Author(name="Ada"), TypeError),
        (math.nan, ValueError),
    ],
    ids=["datetime", "model", "nan"],
)
def test_detail_that_is_not_plain_json_becomes_a_500(
    value: object, error: type[Exception]
) -> None:
    app = app_raising({"at": value})

    with pytest.raises(error):
        TestClient(app).get("/")
    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"


def test_dict_keys_become_strings_and_tuples_lists() -> None:
    response = TestClient(app_raising({1: ("a", "b")})).get("/")

    assert response.status_code == 400
    assert response.json() == {"detail": {"1": ["a", "b"]}}


def test_jsonable_encoder_makes_such_a_detail_sendable() -> None:
    app = app_raising(jsonable_encoder({"at": datetime(2026, 1, 2, 3, 4, 5)}))

    response = TestClient(app).get("/")

    assert response.status_code == 400
    assert response.json() == {"detail": {"at": "2026-01-02T03:04:05"}}


# --- error_headers.py ------------------------------------------------------


def test_401_says_how_to_authenticate() -> None:
    response = TestClient(error_headers.app).get("/search")

    assert response.status_code == 401
    assert response.json() == {"detail": "Send your API key as a Bearer token"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_key_gets_the_same_401() -> None:
    response = TestClient(error_headers.app).get(
        "/search", headers={"Authorization": "Bearer key-eve"}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", ["key-ada", "Basic key-ada", "Bearerkey-ada"])
def test_a_key_without_the_bearer_scheme_gets_the_401(authorization: str) -> None:
    response = TestClient(error_headers.app).get(
        "/search", headers={"Authorization": authorization}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_429_says_when_to_retry() -> None:
    response = TestClient(error_headers.app).get(
        "/search", headers={"Authorization": "Bearer key-bob"}
    )

    assert response.status_code == 429
    assert response.json() == {"detail": "No calls left this hour"}
    assert response.headers["retry-after"] == "3600"


def test_your_headers_come_first_in_lower_case() -> None:
    client = TestClient(error_headers.app)

    unauthenticated = client.get("/search")
    limited = client.get("/search", headers={"Authorization": "Bearer key-bob"})

    assert raw_names(unauthenticated) == [
        b"www-authenticate",
        b"content-length",
        b"content-type",
    ]
    assert raw_names(limited) == [b"retry-after", b"content-length", b"content-type"]


def test_valid_key_is_answered() -> None:
    response = TestClient(error_headers.app).get(
        "/search", headers={"Authorization": "Bearer key-ada"}
    )

    assert response.status_code == 200
    assert response.json() == {"calls_left": 100}
    assert "www-authenticate" not in response.headers


# --- default_detail.py -----------------------------------------------------


@pytest.mark.parametrize(
    ("status_code", "detail"),
    [
        (400, "Bad Request"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (418, "I'm a Teapot"),
        (429, "Too Many Requests"),
        (499, ""),
    ],
)
def test_default_detail_is_the_reason_phrase(status_code: int, detail: str) -> None:
    response = TestClient(default_detail.app).get(f"/fail/{status_code}")

    assert response.status_code == status_code
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("status_code", range(400, 500))
def test_default_detail_matches_http_status(status_code: int) -> None:
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        phrase = ""

    response = TestClient(default_detail.app).get(f"/fail/{status_code}")

    assert response.json() == {"detail": phrase}


def test_the_422_phrase_depends_on_the_python_you_run() -> None:
    expected = (
        "Unprocessable Content"
        if sys.version_info >= (3, 13)
        else "Unprocessable Entity"
    )

    response = TestClient(default_detail.app).get("/fail/422")

    assert response.status_code == 422
    assert response.json() == {"detail": expected}


def test_status_outside_4xx_is_refused() -> None:
    client = TestClient(default_detail.app)

    assert client.get("/fail/399").status_code == 422
    assert client.get("/fail/500").status_code == 422


def refuse() -> JSONResponse:
    return JSONResponse({"detail": "refused"}, status_code=404)


def test_a_response_a_dependency_returns_is_not_sent() -> None:
    app = FastAPI()

    @app.get("/")
    def read(got: Annotated[object, Depends(refuse)]) -> dict[str, str]:
        return {"got": type(got).__name__}

    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert response.json() == {"got": "JSONResponse"}


def test_only_a_missing_detail_is_replaced() -> None:
    assert HTTPException(status_code=404).detail == "Not Found"
    assert HTTPException(status_code=404, detail=None).detail == "Not Found"
    assert HTTPException(status_code=404, detail="").detail == ""
    assert TestClient(app_raising("")).get("/").json() == {"detail": ""}


# --- the two classes -------------------------------------------------------


def test_fastapi_class_is_a_subclass_of_starlettes() -> None:
    assert issubclass(HTTPException, StarletteHTTPException)
    assert HTTPException is not StarletteHTTPException


def test_starlette_declares_a_string_detail_fastapi_any() -> None:
    starlette_hints = typing.get_type_hints(StarletteHTTPException.__init__)
    fastapi_hints = typing.get_type_hints(HTTPException.__init__)

    assert starlette_hints["detail"] == str | None
    assert fastapi_hints["detail"] is typing.Any
