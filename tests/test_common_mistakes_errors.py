"""The error mistakes on docs/common_mistakes.md and their fixes: HTTPException
raised in middleware, an error sent with status 200, exception text reaching the
client, and a handler for Exception that hides bugs behind a 400."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from types import ModuleType

import httpx2
import pytest
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.common_mistakes import (
    catch_all_hides_bugs,
    catch_all_lets_it_be_500,
    error_id_in_log,
    error_with_status_200,
    error_with_status_404,
    leaks_error_text,
    middleware_raises_410,
    middleware_returns_410,
)

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURL_ACCEPT = "*/*"
ERROR_ID = re.compile(r"[0-9a-f]{32}")


# --- a. HTTPException raised in middleware ----------------------------------------


@pytest.mark.parametrize("example", [middleware_raises_410, middleware_returns_410])
def test_other_paths_pass_the_middleware(example: ModuleType) -> None:
    response = TestClient(example.app).get("/v2/products")

    assert response.status_code == 200
    assert response.json() == ["tea", "cake"]


def test_http_exception_raised_in_middleware_is_a_plain_500() -> None:
    client = TestClient(middleware_raises_410.app, raise_server_exceptions=False)
    response = client.get("/v1/products")

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Internal Server Error"
    assert "retired" not in response.text


def test_with_a_handler_for_exception_it_answers_what_middleware_raises() -> None:
    """docs/cheat_sheet.md: a plain `500`, "or what your handler for
    `Exception` answers"; a handler for HTTPException never sees it."""
    app = FastAPI()
    app.middleware("http")(middleware_raises_410.retire_v1)

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=500, content={"seen_by": "Exception"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"seen_by": "HTTP"})

    response = TestClient(app, raise_server_exceptions=False).get("/v1/products")

    assert (response.status_code, response.json()) == (500, {"seen_by": "Exception"})


def test_test_client_re_raises_the_http_exception_from_middleware() -> None:
    with pytest.raises(HTTPException) as raised:
        TestClient(middleware_raises_410.app).get("/v1/products")

    assert raised.value.status_code == 410


def test_middleware_that_returns_a_response_sends_the_410() -> None:
    response = TestClient(middleware_returns_410.app).get("/v1/anything")

    assert response.status_code == 410
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "API v1 is retired; use /v2/"}


@pytest.mark.parametrize("path", ["/v1", "/v1/"])
def test_the_fix_refuses_v1_itself(path: str) -> None:
    response = TestClient(middleware_returns_410.app).get(path)

    assert response.status_code == 410


def test_the_fix_refuses_v1_behind_a_proxy_prefix() -> None:
    """`uvicorn --root-path /api` puts the prefix in the scope's path and in
    root_path, as this request does; the router matches the path without it."""
    client = TestClient(middleware_returns_410.app, root_path="/api")

    assert client.get("/api/v1/products").status_code == 410
    assert client.get("/api/v2/products").json() == ["tea", "cake"]


# --- b. An error sent with status 200 ---------------------------------------------


def test_an_error_with_status_200_passes_for_a_success() -> None:
    response = TestClient(error_with_status_200.app).get("/products/9")

    assert response.status_code == 200
    assert response.json() == {"error": "not found"}
    assert response.is_success
    response.raise_for_status()  # does not raise: nothing tells the client


def test_the_200_error_carries_the_cache_header_of_a_success() -> None:
    client = TestClient(error_with_status_200.app)
    found = client.get("/products/1")
    missing = client.get("/products/9")

    assert found.json() == {"id": 1, "name": "tea"}
    assert missing.headers["cache-control"] == found.headers["cache-control"]
    assert missing.headers["cache-control"] == "public, max-age=300"


def responses_documented(app: FastAPI) -> dict[str, dict[str, object]]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"]["/products/{product_id}"]["get"]["responses"]


def test_the_200_error_is_not_documented() -> None:
    assert sorted(responses_documented(error_with_status_200.app)) == ["200", "422"]


def test_the_fix_answers_404_without_the_cache_header() -> None:
    client = TestClient(error_with_status_404.app)
    found = client.get("/products/1")
    missing = client.get("/products/9")

    assert (found.status_code, found.json()) == (200, {"id": 1, "name": "tea"})
    assert found.headers["cache-control"] == "public, max-age=300"
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No product with this id"}
    assert not missing.is_success
    assert "cache-control" not in missing.headers
    with pytest.raises(httpx2.HTTPStatusError):
        missing.raise_for_status()


def test_the_fix_documents_the_404_and_its_body() -> None:
    responses = responses_documented(error_with_status_404.app)
    openapi = TestClient(error_with_status_404.app).get("/openapi.json").json()

    assert sorted(responses) == ["200", "404", "422"]
    assert responses["404"]["description"] == "No product with this id"
    schema = responses["404"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/NotFound"}
    assert openapi["components"]["schemas"]["NotFound"]["required"] == ["detail"]


# --- c. Exception text reaching the client ----------------------------------------


@pytest.fixture
def database_down() -> Iterator[None]:
    """Take the database of both examples offline for one test."""
    for example in (leaks_error_text, error_id_in_log):
        example.db.online = False
    try:
        yield
    finally:
        for example in (leaks_error_text, error_id_in_log):
            example.db.online = True


@pytest.mark.parametrize("example", [leaks_error_text, error_id_in_log])
def test_orders_answer_while_the_database_is_up(example: ModuleType) -> None:
    client = TestClient(example.app)

    assert client.get("/orders/1/average").json() == {"average": 1000}
    missing = client.get("/orders/9/average")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "No order with this id"},
    )


def test_debug_sends_curl_the_traceback_as_text() -> None:
    client = TestClient(leaks_error_text.app, raise_server_exceptions=False)
    response = client.get("/orders/2/average", headers={"accept": CURL_ACCEPT})
    lines = response.text.splitlines()

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "ZeroDivisionError: integer division or modulo by zero"
    # the absolute path of the app's file, and its source line
    assert f'File "{leaks_error_text.__file__}"' in response.text
    assert 'order["total"] // order["items"]' in response.text


def test_debug_sends_a_browser_an_html_page_of_the_frames() -> None:
    client = TestClient(leaks_error_text.app, raise_server_exceptions=False)
    response = client.get("/orders/2/average", headers={"accept": BROWSER_ACCEPT})

    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "ZeroDivisionError: integer division or modulo by zero" in response.text
    assert leaks_error_text.__file__ in response.text
    assert "average_price" in response.text
    # lines of source around the failing one, spaces written as &nbsp
    assert "if&nbsporder&nbspis&nbspNone:" in response.text


def test_without_debug_the_same_bug_is_a_bare_500() -> None:
    app = FastAPI()
    app.get("/orders/{order_id}/average")(leaks_error_text.average_price)
    client = TestClient(app, raise_server_exceptions=False)

    for accept in (CURL_ACCEPT, BROWSER_ACCEPT):
        response = client.get("/orders/2/average", headers={"accept": accept})
        assert response.status_code == 500
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == "Internal Server Error"


@pytest.mark.usefixtures("database_down")
def test_str_exc_in_a_handler_sends_the_database_message() -> None:
    response = TestClient(leaks_error_text.app).get("/orders/1/average")

    assert response.status_code == 503
    assert response.json() == {
        "detail": "could not connect to postgresql://shop@db.internal/orders"
    }


@pytest.mark.usefixtures("database_down")
def test_the_fix_sends_an_error_id_and_logs_the_details(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="shop"):
        response = TestClient(error_id_in_log.app).get("/orders/1/average")

    body = response.json()
    assert response.status_code == 503
    assert set(body) == {"detail", "error_id"}
    assert body["detail"] == "Database unavailable"
    assert ERROR_ID.fullmatch(body["error_id"])
    assert "db.internal" not in response.text
    [record] = caplog.records
    assert record.getMessage() == (
        f"error_id={body['error_id']} GET /orders/{{order_id}}/average"
    )
    assert record.exc_info is not None
    assert "db.internal/orders" in str(record.exc_info[1])
    # the formatted record holds the message and the traceback
    assert "db.internal/orders" in caplog.text
    assert "Traceback (most recent call last):" in caplog.text


@pytest.mark.usefixtures("database_down")
def test_the_log_names_the_route_not_the_path_the_client_typed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A path of 10000 zeros is still order 1: the log line stays short."""
    typed = "/orders/" + "0" * 10_000 + "1/average"
    with caplog.at_level(logging.ERROR, logger="shop"):
        response = TestClient(error_id_in_log.app).get(typed)

    assert response.status_code == 503
    [record] = caplog.records
    assert record.getMessage().endswith(" GET /orders/{order_id}/average")
    assert len(record.getMessage()) < 100


def test_a_padded_order_id_is_the_same_order() -> None:
    """docs/common_mistakes.md: "/orders/0001/average is order 1 too"."""
    client = TestClient(error_id_in_log.app)

    assert client.get("/orders/0001/average").json() == {"average": 1000}


def error_responses(app: FastAPI, path: str) -> dict[str, dict[str, object]]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]


@pytest.mark.parametrize(
    ("example", "path", "statuses"),
    [
        (error_id_in_log, "/orders/{order_id}/average", ["404", "503"]),
        (catch_all_lets_it_be_500, "/prices/{item}", ["404", "500"]),
    ],
)
def test_the_fixes_document_their_error_bodies(
    example: ModuleType, path: str, statuses: list[str]
) -> None:
    responses = error_responses(example.app, path)

    assert sorted(responses) == sorted(["200", "422", *statuses])
    for status in statuses:
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


@pytest.mark.usefixtures("database_down")
def test_the_404_and_the_503_have_one_shape() -> None:
    client = TestClient(error_id_in_log.app)
    error_id_in_log.db.online = True
    missing = client.get("/orders/9/average")
    error_id_in_log.db.online = False
    failed = client.get("/orders/1/average")

    for response in (missing, failed):
        error = error_id_in_log.Error.model_validate(response.json(), strict=True)
        assert set(response.json()) <= set(error_id_in_log.Error.model_fields)
        assert error.detail
    assert failed.json()["error_id"]


@pytest.mark.usefixtures("database_down")
def test_each_error_gets_its_own_id() -> None:
    client = TestClient(error_id_in_log.app)
    ids = {client.get("/orders/1/average").json()["error_id"] for _ in range(3)}

    assert len(ids) == 3


def test_the_fix_answers_an_order_without_items() -> None:
    response = TestClient(error_id_in_log.app).get("/orders/2/average")

    assert (response.status_code, response.json()) == (200, {"average": None})


def test_the_fix_leaves_debug_off() -> None:
    assert leaks_error_text.app.debug is True
    assert error_id_in_log.app.debug is False


# --- d. A handler for Exception that hides bugs -------------------------------------


def test_a_bug_behind_the_friendly_handler_is_a_400() -> None:
    client = TestClient(catch_all_hides_bugs.app, raise_server_exceptions=False)
    response = client.get("/prices/gift-card")

    assert response.status_code == 400
    assert response.json() == {
        "message": "Sorry, please check your request and try again."
    }


def test_a_friendly_200_passes_the_bug_off_as_a_success() -> None:
    """The page's "(or a 200)": the same handler with status 200."""

    async def friendly_200(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(content={"message": "Sorry, something went wrong."})

    app = FastAPI()
    app.add_exception_handler(Exception, friendly_200)
    app.get("/prices/{item}")(catch_all_hides_bugs.price_with_tax)
    response = TestClient(app, raise_server_exceptions=False).get("/prices/gift-card")

    assert response.status_code == 200
    assert response.is_success
    assert response.json() == {"message": "Sorry, something went wrong."}


def test_the_friendly_400_still_re_raises_the_bug() -> None:
    """ServerErrorMiddleware raises the exception again after the handler's
    response: TestClient sees it, and so does the server (tests/e2e)."""
    with pytest.raises(KeyError, match="voucher"):
        TestClient(catch_all_hides_bugs.app).get("/prices/gift-card")


@pytest.mark.parametrize("example", [catch_all_hides_bugs, catch_all_lets_it_be_500])
def test_known_items_and_unknown_ones(example: ModuleType) -> None:
    client = TestClient(example.app)

    assert client.get("/prices/tea").json() == {"cents": 385}
    missing = client.get("/prices/coffee")
    assert (missing.status_code, missing.json()) == (404, {"detail": "No such item"})


def test_the_fix_prices_the_gift_card() -> None:
    response = TestClient(catch_all_lets_it_be_500.app).get("/prices/gift-card")

    assert (response.status_code, response.json()) == (200, {"cents": 2000})


def test_the_fixed_handler_answers_a_bug_with_a_500_and_logs_it(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(catch_all_lets_it_be_500.TAX_PERCENT, "voucher")
    client = TestClient(catch_all_lets_it_be_500.app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="shop"):
        response = client.get("/prices/gift-card")

    body = response.json()
    assert response.status_code == 500
    assert set(body) == {"detail", "error_id"}
    assert body["detail"] == "Internal error"
    assert ERROR_ID.fullmatch(body["error_id"])
    [record] = caplog.records
    assert record.getMessage() == (
        f"error_id={body['error_id']} GET /prices/{{item}} KeyError"
    )
    # one line: uvicorn logs the traceback (tests/e2e), not the handler too
    assert record.exc_info is None
    # and the exception still goes on to the server, as with any Exception handler
    with pytest.raises(KeyError, match="voucher"):
        TestClient(catch_all_lets_it_be_500.app).get("/prices/gift-card")
