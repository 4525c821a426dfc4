"""Behaviour of the recipe on docs/problem_details.md: every error answered as
application/problem+json (RFC 9457), statuses without a body, and the OpenAPI
schema that documents it."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.problem_details import problem_json
from examples.problem_details.problem_json import add_problem_details

PROBLEM_JSON = "application/problem+json"
REF = "#/components/schemas/"


def client() -> TestClient:
    return TestClient(problem_json.app)


def with_problems() -> FastAPI:
    """A fresh app with the recipe, for routes the example does not have."""
    app = FastAPI()
    add_problem_details(app)
    return app


def assert_problem(response: Any, status: int, body: dict[str, Any]) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == body


# --- HTTPException, yours and the router's -------------------------------------


def test_a_found_item_is_plain_json() -> None:
    response = client().get("/items/1")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"item_id": 1, "in_stock": 3}


def test_your_http_exception_is_a_problem_with_its_detail() -> None:
    assert_problem(
        client().get("/items/9"),
        404,
        {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "There is no item 9.",
        },
    )


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_the_routers_own_404_is_a_problem(method: str) -> None:
    assert_problem(
        client().request(method, "/no/such/path"),
        404,
        {"type": "about:blank", "title": "Not Found", "status": 404},
    )


def test_the_routers_405_is_a_problem_and_keeps_its_allow_header() -> None:
    response = client().delete("/items/1")

    assert_problem(
        response,
        405,
        {"type": "about:blank", "title": "Method Not Allowed", "status": 405},
    )
    assert response.headers["allow"] == "GET"
    assert client().get("/items/1/reserve").headers["allow"] == "POST"


def test_the_headers_an_exception_carries_are_kept() -> None:
    response = client().get("/account")

    assert_problem(
        response,
        401,
        {
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "Send a valid bearer token.",
        },
    )
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_right_token_gets_the_account() -> None:
    response = client().get("/account", headers={"Authorization": "Bearer demo-token"})

    assert response.status_code == 200
    assert response.json() == {"user": "ada"}


def test_starlettes_http_exception_and_any_detail_shape() -> None:
    app = with_problems()

    @app.get("/starlette")
    def starlette_error() -> None:
        raise StarletteHTTPException(status_code=403, detail="No entry.")

    @app.get("/shaped")
    def shaped_detail() -> None:
        raise HTTPException(status_code=400, detail={"code": "E1"})

    @app.get("/five-hundred")
    def raised_500() -> None:
        raise HTTPException(status_code=500, detail="Try later.")

    test_client = TestClient(app)
    assert_problem(
        test_client.get("/starlette"),
        403,
        {
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
            "detail": "No entry.",
        },
    )
    # a problem's detail is a string: a detail of another shape is left out
    assert_problem(
        test_client.get("/shaped"),
        400,
        {"type": "about:blank", "title": "Bad Request", "status": 400},
    )
    assert_problem(
        test_client.get("/five-hundred"),
        500,
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "Try later.",
        },
    )


# --- statuses without a body, and HEAD ------------------------------------------


def test_a_304_has_no_body_and_keeps_its_headers() -> None:
    response = client().get("/items/1", headers={"If-None-Match": '"v7"'})

    assert response.status_code == 304
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers
    assert response.headers["etag"] == '"v7"'


def test_a_204_raised_as_an_exception_has_no_body() -> None:
    app = with_problems()

    @app.delete("/carts/{cart_id}")
    def empty_cart(cart_id: int) -> None:
        raise HTTPException(status_code=204)

    response = TestClient(app).delete("/carts/1")

    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_a_head_request_gets_the_problems_headers_without_a_body() -> None:
    head = client().head("/no/such/path")
    get = client().get("/no/such/path")

    assert head.status_code == 404
    assert head.headers["content-type"] == PROBLEM_JSON
    assert head.headers["content-length"] == str(len(get.content))
    assert head.content == b""


def test_an_empty_body_would_say_content_length_0() -> None:
    """Why the recipe leaves HEAD to the server: an empty body is a length of 0."""
    assert Response(status_code=404).headers["content-length"] == "0"


# --- request validation ---------------------------------------------------------


def test_a_validation_error_is_a_problem_with_an_errors_member() -> None:
    response = client().post("/items/1/reserve", json={"quantity": 0})

    assert_problem(
        response,
        422,
        {
            "type": "https://shop.example/problems/invalid-request",
            "title": "Your request is not valid",
            "status": 422,
            "detail": "1 invalid value(s)",
            "errors": [
                {
                    "loc": ["body", "quantity"],
                    "type": "greater_than_equal",
                    "msg": "Input should be greater than or equal to 1",
                }
            ],
        },
    )


def test_the_errors_member_never_echoes_the_input() -> None:
    sent = "x" * 5000
    response = client().post("/items/1/reserve", json={"quantity": sent})

    assert response.status_code == 422
    assert sent[:50] not in response.text
    assert "input" not in response.json()["errors"][0]
    assert len(response.content) < 1000


def test_the_errors_member_is_bounded() -> None:
    app = with_problems()

    @app.post("/many")
    def many(numbers: dict[str, int]) -> int:
        return len(numbers)

    sent = {f"{n:04}" + "k" * 500: "x" * 500 for n in range(1000)}
    response = TestClient(app).post("/many", json=sent)

    problem = response.json()
    assert response.status_code == 422
    assert problem["detail"] == "1000 invalid value(s)"
    assert len(problem["errors"]) == problem_json.MAX_ERRORS
    first = problem["errors"][0]
    assert first["loc"] == ["body", "0000" + "k" * 96]
    assert first["type"] == "int_parsing"
    assert all(
        len(error["msg"]) <= problem_json.MAX_TEXT for error in problem["errors"]
    )
    assert len(response.content) < 4000


def test_a_body_that_is_not_json_is_a_validation_problem() -> None:
    response = client().post(
        "/items/1/reserve",
        content=b"{",
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["errors"] == [
        {"loc": ["body", 1], "type": "json_invalid", "msg": "JSON decode error"}
    ]


def test_a_body_that_is_not_utf8_is_a_400_problem() -> None:
    response = client().post(
        "/items/1/reserve",
        content=b"\xff{",
        headers={"content-type": "application/json"},
    )

    assert_problem(
        response,
        400,
        {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": "There was an error parsing the body",
        },
    )


# --- your own exception class ---------------------------------------------------


def test_your_exception_class_is_a_problem_with_an_extension_member() -> None:
    assert_problem(
        client().post("/items/2/reserve", json={"quantity": 1}),
        409,
        {
            "type": "https://shop.example/problems/out-of-stock",
            "title": "Out of stock",
            "status": 409,
            "detail": "This item cannot be reserved now.",
            "item_id": 2,
        },
    )


def test_a_reservation_in_stock_succeeds() -> None:
    response = client().post("/items/1/reserve", json={"quantity": 2})

    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "reserved": 2}


def test_reserving_an_unknown_item_is_a_404_problem() -> None:
    response = client().post("/items/9/reserve", json={"quantity": 1})

    assert response.status_code == 404
    assert response.json()["detail"] == "There is no item 9."


# --- unexpected exceptions ------------------------------------------------------


def bug_app() -> FastAPI:
    app = with_problems()

    @app.get("/bug")
    def bug() -> None:
        raise RuntimeError("secret: the database password is hunter2")

    return app


def test_an_unexpected_exception_is_a_generic_500_problem() -> None:
    response = TestClient(bug_app(), raise_server_exceptions=False).get("/bug")

    assert_problem(
        response,
        500,
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "Something went wrong on our side.",
        },
    )
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


def test_the_unexpected_exception_still_reaches_testclient() -> None:
    with pytest.raises(RuntimeError, match="hunter2"):
        TestClient(bug_app()).get("/bug")


# --- OpenAPI --------------------------------------------------------------------


def responses(path: str, method: str) -> dict[str, Any]:
    return client().get("/openapi.json").json()["paths"][path][method]["responses"]


@pytest.mark.parametrize(
    ("path", "method", "documented"),
    [
        ("/items/{item_id}", "get", {"404": "Problem", "422": "ValidationProblem"}),
        (
            "/items/{item_id}/reserve",
            "post",
            {
                "404": "Problem",
                "409": "OutOfStockProblem",
                "422": "ValidationProblem",
            },
        ),
        ("/account", "get", {"401": "Problem", "422": "ValidationProblem"}),
    ],
)
def test_openapi_documents_every_error_as_a_problem(
    path: str, method: str, documented: dict[str, str]
) -> None:
    answers = responses(path, method)

    errors = {status: answer for status, answer in answers.items() if status != "200"}
    assert {status: answer["content"] for status, answer in errors.items()} == {
        status: {PROBLEM_JSON: {"schema": {"$ref": REF + name}}}
        for status, name in documented.items()
    }
    assert list(answers["200"]["content"]) == ["application/json"]


def test_openapi_no_longer_has_the_default_validation_schemas() -> None:
    schemas = client().get("/openapi.json").json()["components"]["schemas"]

    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["title", "status"]
    assert schemas["Problem"]["additionalProperties"] is True
    assert schemas["ValidationProblem"]["properties"]["errors"]["maxItems"] == 10
    assert schemas["OutOfStockProblem"]["properties"]["item_id"]["type"] == "integer"


def test_openapi_is_the_same_each_time_it_is_asked_for() -> None:
    test_client = client()

    first = test_client.get("/openapi.json").json()
    assert test_client.get("/openapi.json").json() == first
    assert problem_json.app.openapi() == first


def test_without_the_recipe_openapi_documents_json_errors() -> None:
    """What problem_openapi changes: the default schema of the same routes."""
    app = FastAPI()

    @app.get("/items/{item_id}", responses={404: {"description": "No such item"}})
    def read_item(item_id: int) -> int:
        return item_id

    answers = app.openapi()["paths"]["/items/{item_id}"]["get"]["responses"]
    assert "content" not in answers["404"]
    assert answers["422"]["content"] == {
        "application/json": {"schema": {"$ref": REF + "HTTPValidationError"}}
    }


# --- the client ------------------------------------------------------------------


def test_testclient_is_an_httpx2_client_with_httpx2_responses() -> None:
    response = client().get("/items/9")

    assert isinstance(client(), httpx2.Client)
    assert isinstance(response, httpx2.Response)


def test_testclient_hands_over_a_body_on_a_304_without_complaint() -> None:
    """The mistake the recipe avoids passes here; on uvicorn it is an error
    (tests/e2e/test_problem_details_real.py)."""
    from tests.e2e.apps import problem_details_naive

    response = TestClient(problem_details_naive.app).get("/items/1")

    assert response.status_code == 304
    assert response.json()["status"] == 304
