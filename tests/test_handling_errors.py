"""Behaviour of the handler examples on docs/handling_errors.md: your own
exception classes, status codes, the 422 body and FastAPI's default handlers."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.handling_errors import (
    default_422,
    document_422,
    log_then_delegate,
    own_exceptions,
    reshape_422,
)

VALIDATION_REF = {"$ref": "#/components/schemas/HTTPValidationError"}


# --- own_exceptions -------------------------------------------------------------


def test_a_reservation_in_stock_succeeds() -> None:
    response = TestClient(own_exceptions.app).post("/items/1/reserve")

    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "left": 2}


def test_your_exception_class_is_answered_by_its_handler() -> None:
    response = TestClient(own_exceptions.app).post("/items/2/reserve")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "out_of_stock", "item_id": 2}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/items/9/reserve"), ("GET", "/no/such/path"), ("POST", "/x")],
)
def test_the_404_handler_answers_raised_404s_and_unknown_paths(
    method: str, path: str
) -> None:
    response = TestClient(own_exceptions.app).request(method, path)

    assert response.status_code == 404
    assert response.json() == {"error": "not_found"}


def test_other_statuses_keep_the_default_handler() -> None:
    client = TestClient(own_exceptions.app)

    wrong_method = client.get("/items/1/reserve")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "Method Not Allowed"}
    assert wrong_method.headers["allow"] == "POST"
    out_of_range = client.post("/items/0/reserve")
    assert out_of_range.status_code == 422
    assert out_of_range.json()["detail"][0]["type"] == "greater_than_equal"


def test_both_handlers_are_registered_next_to_fastapis_defaults() -> None:
    handlers = own_exceptions.app.exception_handlers

    assert handlers[own_exceptions.OutOfStock] is own_exceptions.out_of_stock
    assert handlers[404] is own_exceptions.not_found


# --- default_422 ----------------------------------------------------------------


def test_the_default_422_body_on_the_pinned_versions() -> None:
    response = TestClient(default_422.app).post(
        "/orders", json={"item": "pen", "quantity": 0}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": [
            {
                "type": "greater_than_equal",
                "loc": ["body", "quantity"],
                "msg": "Input should be greater than or equal to 1",
                "input": 0,
                "ctx": {"ge": 1},
            }
        ]
    }


def test_a_valid_order_is_echoed() -> None:
    response = TestClient(default_422.app).post(
        "/orders", json={"item": "pen", "quantity": 2}
    )

    assert response.status_code == 200
    assert response.json() == {"item": "pen", "quantity": 2}


def test_openapi_documents_the_422_as_http_validation_error() -> None:
    schema = default_422.app.openapi()
    documented = schema["paths"]["/orders"]["post"]["responses"]["422"]

    assert documented["description"] == "Validation Error"
    assert documented["content"]["application/json"]["schema"] == VALIDATION_REF
    assert "HTTPValidationError" in schema["components"]["schemas"]


# --- reshape_422 ----------------------------------------------------------------


def test_a_valid_order_passes_the_reshaping_handler_by() -> None:
    response = TestClient(reshape_422.app).post(
        "/orders", json={"item": "pen", "quantity": 2}
    )

    assert response.status_code == 200
    assert response.json() == {"item": "pen", "quantity": 2}


def test_the_handler_reshapes_the_422_body() -> None:
    response = TestClient(reshape_422.app).post(
        "/orders", json={"item": "pen", "quantity": 0}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_request",
        "problems": [
            {
                "field": "body.quantity",
                "problem": "Input should be greater than or equal to 1",
            }
        ],
        "fields_received": ["item", "quantity"],
    }


def test_the_handler_sees_the_parsed_request_body() -> None:
    seen: list[object] = []
    app = reshape_422.app
    original = app.exception_handlers[RequestValidationError]

    async def spy(request, exc):  # type: ignore[no-untyped-def]
        seen.append(exc.body)
        return await original(request, exc)

    app.exception_handlers[RequestValidationError] = spy
    app.middleware_stack = None  # rebuilt with the spy on the next request
    try:
        client = TestClient(app)
        client.post("/orders", json={"item": "pen"})
        client.post(
            "/orders", content=b"{oops", headers={"content-type": "application/json"}
        )
        client.post("/orders")
        client.post("/orders", json=[1, 2])
        client.post("/orders", content=b"hello", headers={"content-type": "text/plain"})
        client.post("/orders", data={"a": "b"})
    finally:
        app.exception_handlers[RequestValidationError] = original
        app.middleware_stack = None

    # any JSON value, the raw text of invalid JSON, None, then the raw bytes of
    # a body that is not JSON
    assert seen == [{"item": "pen"}, "{oops", None, [1, 2], b"hello", b"a=b"]


def test_a_missing_field_and_a_body_that_is_not_an_object() -> None:
    client = TestClient(reshape_422.app)

    missing = client.post("/orders", json={"item": "pen"})
    assert missing.status_code == 422
    assert missing.json()["problems"] == [
        {"field": "body.quantity", "problem": "Field required"}
    ]
    assert missing.json()["fields_received"] == ["item"]
    not_json = client.post(
        "/orders", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422
    assert not_json.json()["problems"][0]["problem"] == "JSON decode error"
    assert not_json.json()["fields_received"] == []


def test_the_reshaped_body_stays_bounded() -> None:
    body = {f"field{n}" + "x" * 100: n for n in range(50)}
    response = TestClient(reshape_422.app).post("/orders", json=body)

    assert response.status_code == 422
    received = response.json()["fields_received"]
    assert len(received) == 10
    assert all(len(name) == 40 for name in received)
    assert len(response.json()["problems"]) <= 10


def test_openapi_still_documents_the_default_422_body() -> None:
    documented = reshape_422.app.openapi()["paths"]["/orders"]["post"]["responses"]

    assert documented["422"]["content"]["application/json"]["schema"] == (
        VALIDATION_REF
    )


# --- log_then_delegate ----------------------------------------------------------


def test_errors_are_logged_then_answered_by_fastapis_defaults(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(log_then_delegate.app)

    with caplog.at_level(logging.WARNING, logger="shop.errors"):
        found = client.get("/items/1")
        missing = client.get("/items/9")
        invalid = client.get("/items/0")
        unknown = client.get("/nowhere")

    assert found.status_code == 200
    assert found.json() == {"item_id": 1}
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Item not found"}
    assert invalid.status_code == 422
    assert invalid.json() == {
        "detail": [
            {
                "type": "greater_than_equal",
                "loc": ["path", "item_id"],
                "msg": "Input should be greater than or equal to 1",
                "input": "0",
                "ctx": {"ge": 1},
            }
        ]
    }
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Not Found"}
    assert [record.getMessage() for record in caplog.records] == [
        "GET /items/9 -> 404",
        "GET /items/0 -> 422",
        "GET /nowhere -> 404",
    ]


def test_delegating_keeps_the_headers_an_http_exception_carries() -> None:
    response = TestClient(log_then_delegate.app).delete("/items/1")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {"detail": "Method Not Allowed"}


# --- document_422 ---------------------------------------------------------------


def test_responses_documents_your_422_body_instead() -> None:
    schema = document_422.app.openapi()
    documented = schema["paths"]["/orders"]["post"]["responses"]["422"]

    assert documented["description"] == "Invalid request"
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvalidRequest"
    }
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_the_documented_422_body_is_the_one_sent() -> None:
    response = TestClient(document_422.app).post(
        "/orders", json={"item": "", "quantity": 101}
    )

    assert response.status_code == 422
    body = document_422.InvalidRequest.model_validate(response.json())
    assert body.error == "invalid_request"
    assert [p.field for p in body.problems] == ["body.item", "body.quantity"]
    ok = TestClient(document_422.app).post("/orders", json={"item": "a", "quantity": 1})
    assert ok.status_code == 200


def test_a_class_handler_also_answers_subclasses() -> None:
    class Discontinued(own_exceptions.OutOfStock):
        pass

    app = FastAPI()
    app.add_exception_handler(own_exceptions.OutOfStock, own_exceptions.out_of_stock)

    @app.get("/old")
    def old() -> None:
        raise Discontinued(7)

    response = TestClient(app).get("/old")

    assert response.status_code == 409
    assert response.json() == {"error": "out_of_stock", "item_id": 7}


def test_fastapis_http_exception_extends_starlettes() -> None:
    assert issubclass(HTTPException, StarletteHTTPException)


def test_the_default_422_echoes_the_whole_invalid_input() -> None:
    long_item = "x" * 50_000
    response = TestClient(default_422.app).post(
        "/orders", json={"item": long_item, "quantity": 1}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_long"
    assert response.json()["detail"][0]["input"] == long_item
    assert len(response.content) > 50_000


def test_a_missing_field_has_no_ctx_in_the_default_body() -> None:
    response = TestClient(default_422.app).post("/orders", json={"item": "pen"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "quantity"],
                "msg": "Field required",
                "input": {"item": "pen"},
            }
        ]
    }


# Bodies the default 422 cannot answer safely (default_422 is a Mistake).
ODD_BODIES = [
    ("application/json", b'{"item": "pen", "quantity": NaN}'),
    ("application/json", b'{"item": "pen", "quantity": 1e309}'),
    ("application/json", b'{"item": NaN, "quantity": 1}'),
    ("text/plain", b"\xff\xfe"),
    (None, b"\xff\xfe"),
]


@pytest.mark.parametrize(("content_type", "content"), ODD_BODIES)
def test_the_default_422_answers_nan_and_invalid_utf8_with_a_500(
    content_type: str | None, content: bytes
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    client = TestClient(default_422.app, raise_server_exceptions=False)

    response = client.post("/orders", content=content, headers=headers)

    assert response.status_code == 500
    assert response.text == "Internal Server Error"


@pytest.mark.parametrize("module", [reshape_422, document_422])
@pytest.mark.parametrize(("content_type", "content"), ODD_BODIES)
def test_the_reshaping_handlers_answer_the_same_bodies_with_a_small_422(
    module: object, content_type: str | None, content: bytes
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = TestClient(module.app).post(  # type: ignore[attr-defined]
        "/orders", content=content, headers=headers
    )

    assert response.status_code == 422
    assert len(response.content) < 1000


def test_a_missing_field_echoes_the_whole_object_it_is_missing_from() -> None:
    body = {f"k{n}": n for n in range(100_000)}
    response = TestClient(default_422.app).post("/orders", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == body
    assert len(response.content) > 1024 * 1024
    small = TestClient(reshape_422.app).post("/orders", json=body)
    assert small.status_code == 422
    assert len(small.content) < 2000


def test_responses_replaces_the_422_entry_of_its_own_route_only() -> None:
    app = FastAPI()
    documented = {422: {"model": document_422.InvalidRequest}}
    app.post("/orders", responses=documented)(document_422.create_order)
    app.post("/quotes")(document_422.create_order)

    paths = app.openapi()["paths"]
    schema = {
        path: paths[path]["post"]["responses"]["422"]["content"]["application/json"]
        for path in ("/orders", "/quotes")
    }
    assert schema["/orders"]["schema"] == {
        "$ref": "#/components/schemas/InvalidRequest"
    }
    assert schema["/quotes"]["schema"] == VALIDATION_REF


def test_the_router_raises_starlettes_http_exception_not_fastapis() -> None:
    seen: list[type] = []
    app = FastAPI()

    async def record(request, exc):  # type: ignore[no-untyped-def]
        seen.append(type(exc))
        return JSONResponse(status_code=exc.status_code, content={})

    app.add_exception_handler(StarletteHTTPException, record)

    @app.post("/only-post")
    def only_post() -> None:
        return None

    client = TestClient(app)
    client.get("/no/such/path")
    client.get("/only-post")

    assert seen == [StarletteHTTPException, StarletteHTTPException]


def test_a_handler_for_fastapis_http_exception_misses_the_routers_404_and_405() -> None:
    app = FastAPI()

    @app.exception_handler(HTTPException)
    async def mine(request, exc):  # type: ignore[no-untyped-def]
        return JSONResponse(status_code=exc.status_code, content={"mine": True})

    app.get("/items/{item_id}")(log_then_delegate.read_item)
    client = TestClient(app)

    # the route's own HTTPException reaches the handler...
    assert client.get("/items/9").json() == {"mine": True}
    # ...the router's 404 and 405 keep FastAPI's default body
    assert client.get("/no/such/path").json() == {"detail": "Not Found"}
    assert client.post("/items/1").json() == {"detail": "Method Not Allowed"}


def test_a_nan_in_a_field_that_passed_validation_is_never_echoed() -> None:
    client = TestClient(default_422.app, raise_server_exceptions=False)
    headers = {"content-type": "application/json"}

    ignored = client.post(
        "/orders",
        content=b'{"item": "pen", "quantity": 1, "note": NaN}',
        headers=headers,
    )
    echoed = client.post(
        "/orders", content=b'{"item": "pen", "note": NaN}', headers=headers
    )

    assert ignored.status_code == 200
    assert echoed.status_code == 500  # the missing field echoes the whole object


@pytest.mark.parametrize(
    "content",
    [b'{"item": "\xff", "quantity": 1}', b"[" * 100_000],
    ids=["invalid UTF-8 inside JSON", "arrays nested too deep"],
)
@pytest.mark.parametrize("module", [default_422, reshape_422])
def test_a_json_body_that_cannot_be_read_gets_a_400_before_any_handler(
    module: object, content: bytes
) -> None:
    response = TestClient(module.app).post(  # type: ignore[attr-defined]
        "/orders", content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_exc_errors_is_the_list_the_default_body_holds() -> None:
    seen: list[object] = []
    app = FastAPI()
    app.router.routes = default_422.app.router.routes

    @app.exception_handler(RequestValidationError)
    async def keep(request: object, exc: RequestValidationError) -> JSONResponse:
        seen.append(exc.errors())
        return JSONResponse({}, status_code=422)

    order = {"item": "pen", "quantity": 0}
    TestClient(app).post("/orders", json=order)
    default = TestClient(default_422.app).post("/orders", json=order).json()

    assert seen[0][0]["loc"] == ("body", "quantity")  # a tuple, a list in JSON
    assert jsonable_encoder(seen) == [default["detail"]]
