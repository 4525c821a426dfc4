"""Behaviour of the recipe on docs/problem_details.md: every error answered as
application/problem+json (RFC 9457), statuses without a body, and the OpenAPI
schema that documents it."""

from __future__ import annotations

import ast
import inspect
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.problem_details import problem_json
from examples.problem_details.problem_json import add_problem_details
from tests.problem_details_support import describe

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


@pytest.mark.parametrize(
    ("status", "title"),
    [
        (413, "Content Too Large"),
        (414, "URI Too Long"),
        (416, "Range Not Satisfiable"),
        (422, "Unprocessable Content"),
    ],
)
def test_the_title_is_rfc_9110s_phrase_on_any_python(status: int, title: str) -> None:
    app = with_problems()

    @app.get("/fail")
    def fail() -> None:
        raise HTTPException(status_code=status)

    assert_problem(
        TestClient(app).get("/fail"),
        status,
        {"type": "about:blank", "title": title, "status": status},
    )


# --- what the recipe does not cover ----------------------------------------------


def test_a_mounted_app_answers_its_own_errors_until_it_has_the_recipe() -> None:
    def sub_app() -> FastAPI:
        sub = FastAPI()

        @sub.get("/things/{n}")
        def thing(n: int) -> None:
            raise HTTPException(status_code=404, detail="No such thing.")

        return sub

    main = with_problems()
    main.mount("/v1", sub_app())
    fixed = with_problems()
    sub = sub_app()
    add_problem_details(sub)
    fixed.mount("/v1", sub)

    for path in ("/v1/things/1", "/v1/things/x", "/v1/nowhere"):
        plain = TestClient(main).get(path)
        assert plain.headers["content-type"] == "application/json"
        assert "detail" in plain.json()
        problem = TestClient(fixed).get(path)
        assert problem.status_code == plain.status_code
        assert problem.headers["content-type"] == PROBLEM_JSON


def test_your_handler_for_fastapis_http_exception_still_answers_raised_errors() -> None:
    app = FastAPI()

    @app.exception_handler(HTTPException)
    async def yours(request: Any, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    add_problem_details(app)

    @app.get("/raised")
    def raised() -> None:
        raise HTTPException(status_code=404, detail="Nope.")

    test_client = TestClient(app)
    assert test_client.get("/raised").json() == {"error": "Nope."}
    # the router raises Starlette's class, which the recipe answers
    assert test_client.get("/nowhere").headers["content-type"] == PROBLEM_JSON


def test_an_http_exception_raised_in_middleware_is_a_500_problem() -> None:
    app = with_problems()

    @app.middleware("http")
    async def guard(request: Any, call_next: Any) -> Any:
        raise HTTPException(status_code=403, detail="Blocked.")

    @app.get("/m")
    def m() -> int:
        return 1

    response = TestClient(app, raise_server_exceptions=False).get("/m")

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


# --- statuses without a body, and HEAD ------------------------------------------


def test_a_304_has_no_body_and_keeps_its_headers() -> None:
    response = client().get("/items/1", headers={"If-None-Match": '"v7"'})

    assert response.status_code == 304
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers
    assert response.headers["etag"] == '"v7"'


def test_the_200_sends_the_etag_the_304_is_keyed_on() -> None:
    response = client().get("/items/1")

    assert response.status_code == 200
    assert response.headers["etag"] == '"v7"'
    again = client().get(
        "/items/1", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("if_none_match", ["*", 'W/"v7"', '"v1", "v7"', '"v1",W/"v7"'])
def test_any_form_of_if_none_match_that_holds_the_etag_gets_a_304(
    if_none_match: str,
) -> None:
    response = client().get("/items/1", headers={"If-None-Match": if_none_match})

    assert response.status_code == 304
    assert response.headers["etag"] == '"v7"'


def test_every_if_none_match_line_is_read() -> None:
    response = client().get(
        "/items/1", headers=[("If-None-Match", '"v1"'), ("If-None-Match", '"v7"')]
    )

    assert response.status_code == 304
    assert response.headers["etag"] == '"v7"'


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [(", ".join(['"v1"'] * 40 + ['"v7"']), 304), (", ".join(['"v1"'] * 40), 200)],
)
def test_a_long_list_of_etags_is_read(if_none_match: str, status: int) -> None:
    response = client().get("/items/1", headers={"If-None-Match": if_none_match})

    assert response.status_code == status


@pytest.mark.parametrize(
    "if_none_match", ['"v1"', '"v3"', 'W/"v1", "v2"', "x" * 5000, "\t,,;"]
)
def test_other_etags_get_the_item(if_none_match: str) -> None:
    response = client().get("/items/1", headers={"If-None-Match": if_none_match})

    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "in_stock": 3}


@pytest.mark.parametrize("status", [204, 205])
def test_a_204_or_205_raised_as_an_exception_has_no_body(status: int) -> None:
    app = with_problems()

    @app.delete("/carts/{cart_id}")
    def empty_cart(cart_id: int) -> None:
        raise HTTPException(status_code=status)

    response = TestClient(app).delete("/carts/1")

    assert response.status_code == status
    assert response.content == b""
    assert "content-type" not in response.headers


def test_a_head_request_gets_the_problems_headers_without_a_body() -> None:
    head = client().head("/no/such/path")
    get = client().get("/no/such/path")

    assert head.status_code == 404
    assert head.headers["content-type"] == PROBLEM_JSON
    assert head.headers["content-length"] == str(len(get.content))
    assert head.content == b""


def test_a_head_request_to_a_get_route_is_a_405_problem() -> None:
    head = client().head("/items/1")
    get = client().delete("/items/1")

    assert head.status_code == 405
    assert head.headers["allow"] == "GET"
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


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/problem+json", "application/vnd.api+json"],
)
def test_a_json_body_that_is_not_utf8_is_a_400_problem(content_type: str) -> None:
    response = client().post(
        "/items/1/reserve",
        content=b"\xff{",
        headers={"content-type": content_type},
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


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_body_that_is_not_utf8_nor_json_is_a_validation_problem(
    content_type: str | None,
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client().post(
        "/items/1/reserve", content=b"\xff{" + b"\xfe" * 5000, headers=headers
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert [error["loc"] for error in response.json()["errors"]] == [["body"]]
    assert "input" not in response.json()["errors"][0]
    assert len(response.content) < 1000


def test_a_deep_loc_keeps_its_first_parts() -> None:
    app = with_problems()

    @app.post("/deep")
    def deep(
        rows: list[list[list[list[list[list[list[list[list[list[list[int]]]]]]]]]]],
    ) -> int:
        return len(rows)

    response = TestClient(app).post("/deep", json=[[[[[[[[[[["x"]]]]]]]]]]])

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert len(error["loc"]) == problem_json.MAX_LOC_PARTS
    assert error["type"] == "int_parsing"


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
    assert schemas["InvalidField"]["properties"]["loc"]["maxItems"] == 10
    # the problems of their own kind document their real type and status
    out_of_stock = schemas["OutOfStockProblem"]["properties"]
    assert out_of_stock["type"]["const"] == "https://shop.example/problems/out-of-stock"
    assert out_of_stock["status"]["const"] == 409
    invalid = schemas["ValidationProblem"]["properties"]
    assert invalid["type"]["const"] == "https://shop.example/problems/invalid-request"
    assert invalid["status"]["const"] == 422


class Message(BaseModel):
    message: str


class GoneProblem(problem_json.Problem):
    """A reader's own problem model."""


# a reader's own models, named as the recipe's and FastAPI's are
YourProblem = create_model("Problem", id=int, summary=str)
YourValidationError = create_model("ValidationError", field=str, reason=str)


def refs(value: Any) -> set[str]:
    """Every $ref in a piece of the schema."""
    if isinstance(value, dict):
        found = {value["$ref"]} if "$ref" in value else set()
        return found.union(*map(refs, value.values()))
    if isinstance(value, list):
        return set().union(*map(refs, value))
    return set()


def test_openapi_moves_only_errors_without_a_model_or_with_a_problem_model() -> None:
    app = with_problems()
    example = {"detail": "teapot"}

    @app.get(
        "/things/{n}",
        responses={
            404: {"model": Message},
            410: {"model": GoneProblem},
            418: {"content": {"application/json": {"example": example}}},
            422: {"model": Message},
        },
    )
    def thing(n: int) -> Any:
        return JSONResponse({"message": "no thing"}, status_code=404)

    answers = app.openapi()["paths"]["/things/{n}"]["get"]["responses"]
    sent = TestClient(app).get("/things/1")

    # a model that is not a problem: what the route returns, as plain JSON
    assert sent.headers["content-type"] == "application/json"
    assert answers["404"]["content"] == {
        "application/json": {"schema": {"$ref": REF + "Message"}}
    }
    assert answers["410"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": REF + "GoneProblem"}}
    }
    # no model: a Problem, and the example stays
    assert answers["418"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}, "example": example}
    }
    # every 422 is what validation_problem sends
    assert answers["422"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": REF + "ValidationProblem"}}
    }


class Problem(BaseModel):
    """A reader's own model: the recipe's names, other types."""

    type: int
    title: int
    status: str
    detail: list[int]
    instance: bool


class InvalidField(BaseModel):
    loc: str
    type: int
    msg: int


@pytest.mark.parametrize(
    ("model", "name"),
    [(YourProblem, "Problem"), (Problem, "Problem"), (InvalidField, "InvalidField")],
)
def test_openapi_refuses_a_model_of_yours_named_like_the_recipes(
    model: type[BaseModel], name: str
) -> None:
    app = with_problems()

    def checks(body: Any) -> int:
        return 1

    checks.__annotations__ = {"body": model, "return": int}
    app.post("/checks")(checks)

    with pytest.raises(RuntimeError, match=f"model named {name},"):
        app.openapi()  # what a test of yours calls


def test_a_clash_of_names_is_a_500_problem_at_openapi_json() -> None:
    app = with_problems()

    @app.post("/checks")
    def checks(problem: Problem) -> int:
        return 1

    test_client = TestClient(app, raise_server_exceptions=False)
    assert "'/openapi.json'" in test_client.get("/docs").text
    assert_problem(
        test_client.get("/openapi.json"),
        500,
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "Something went wrong on our side.",
        },
    )
    # mounted, it answers the same; its own openapi() raises
    main = with_problems()
    main.mount("/v1", app)
    assert (
        TestClient(main, raise_server_exceptions=False)
        .get("/v1/openapi.json")
        .json()["status"]
        == 500
    )
    with pytest.raises(RuntimeError, match="model named Problem,"):
        app.openapi()
    # the app starts all the same: only the schema fails
    with TestClient(app) as started:
        assert started.post("/checks", json={}).status_code == 422
        with pytest.raises(RuntimeError, match="model named Problem,"):
            started.get("/openapi.json")


def test_openapi_takes_the_recipes_models_used_as_bodies() -> None:
    app = with_problems()

    @app.post("/echo")
    def echo(
        problem: problem_json.ValidationProblem,
    ) -> problem_json.ValidationProblem:
        return problem

    schemas = app.openapi()["components"]["schemas"]

    assert schemas.keys() >= {"Problem", "InvalidField", "ValidationProblem"}


def test_a_422_your_code_raises_is_a_plain_problem() -> None:
    """The page: documented as ValidationProblem, sent as a Problem."""
    app = with_problems()

    @app.get("/checks", responses={422: {"description": "Bad n"}})
    def checks() -> None:
        raise HTTPException(status_code=422, detail="bad n")

    response = TestClient(app).get("/checks")
    answers = app.openapi()["paths"]["/checks"]["get"]["responses"]

    assert_problem(
        response,
        422,
        {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": "bad n",
        },
    )
    assert answers["422"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": REF + "ValidationProblem"}}
    }
    with pytest.raises(ValueError, match="errors"):
        problem_json.ValidationProblem.model_validate(response.json())


def test_openapi_takes_the_recipes_problem_model_used_in_responses() -> None:
    app = with_problems()

    @app.get("/gone", responses={410: {"model": problem_json.Problem}})
    def gone() -> None:
        raise HTTPException(status_code=410)

    with TestClient(app) as test_client:
        answers = test_client.get("/openapi.json").json()["paths"]["/gone"]["get"]

    assert answers["responses"]["410"]["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": REF + "Problem"}}
    }


def test_openapi_keeps_a_validation_error_model_of_yours() -> None:
    app = with_problems()

    @app.get("/checks")
    def checks() -> list[YourValidationError]:
        return []

    schema = app.openapi()
    schemas = schema["components"]["schemas"]

    assert "HTTPValidationError" not in schemas
    assert {ref.removeprefix(REF) for ref in refs(schema)} <= set(schemas)
    assert schemas["ValidationError"]["properties"].keys() == {"field", "reason"}


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


def answer(status: int, body: bytes, content_type: str) -> httpx2.Response:
    return httpx2.Response(status, content=body, headers={"content-type": content_type})


def test_describe_reads_a_problem_with_members_missing() -> None:
    body = b'{"type": "https://x.example/p", "detail": "d"}'

    assert describe(answer(404, body, PROBLEM_JSON)) == "404 Not Found: d"
    assert describe(answer(409, b"{}", PROBLEM_JSON)) == "409 Conflict: -"


def test_describe_reads_the_media_type_in_any_case() -> None:
    body = b'{"title": "Gone", "status": 410}'

    assert describe(answer(410, body, "Application/Problem+JSON")) == "410 Gone: -"
    assert (
        describe(answer(410, body, "application/problem+json; charset=utf-8"))
        == "410 Gone: -"
    )
    assert describe(answer(410, body, "application/json")) == (
        "410, not a problem (application/json)"
    )


def test_the_recipe_needs_no_import_that_only_the_routes_use() -> None:
    """The page: copy everything above `app = FastAPI()` but these imports."""
    source = inspect.getsource(problem_json)
    recipe = source[: source.index("\napp = FastAPI()")]
    tree = ast.parse(recipe)
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }

    assert imported - used == {"Header", "HTTPException", "Path"}
