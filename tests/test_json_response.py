"""JSONResponse: status, headers and body you choose (docs/json_response.md)."""

from __future__ import annotations

import json
import math
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.responses import JSONResponse

from examples.json_response import (
    custom_error,
    documented_error,
    encode_first,
    header_precedence,
    injected_headers,
    model_bypass,
    not_a_number,
)
from tests.hostile import failing_routes, failures, is_mistake, page_examples


def raw_names(response) -> list[bytes]:
    return [name for name, _ in response.headers.raw]


# --- custom_error.py -------------------------------------------------------


def test_missing_book_gets_404_body_and_header() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert response.status_code == 404
    assert response.json() == {"error": "book_not_found", "book_id": 0}
    assert response.headers["x-error-code"] == "BOOK_NOT_FOUND"


def test_error_response_has_exactly_your_header_plus_two() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert set(response.headers) == {"x-error-code", "content-length", "content-type"}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.content))


def test_header_names_are_lowercase_on_the_wire() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    # headers.raw keeps the bytes as the app sent them: "X-Error-Code" was lowercased.
    assert raw_names(response) == [b"x-error-code", b"content-length", b"content-type"]


def test_found_book_is_plain_json_with_two_headers() -> None:
    response = TestClient(custom_error.app).get("/books/1")

    assert response.status_code == 200
    assert response.json() == {"id": 1, "title": "Dune"}
    assert set(response.headers) == {"content-length", "content-type"}


def test_json_response_body_is_compact_and_not_ascii_escaped() -> None:
    body = JSONResponse({"name": "Café €", "tags": [1, 2]}).body

    assert body == '{"name":"Café €","tags":[1,2]}'.encode()


def test_json_response_uses_the_documented_json_dumps_options() -> None:
    """Read the installed Starlette source: the page quotes these options."""
    import starlette.responses

    source = Path(starlette.responses.__file__).read_text()
    render = source[source.index("class JSONResponse") :]
    render = render[: render.index("class RedirectResponse")]

    assert "json.dumps(" in render
    for option in (
        "ensure_ascii=False",
        "allow_nan=False",
        "indent=None",
        'separators=(",", ":")',
    ):
        assert option in render


# --- header_precedence.py --------------------------------------------------


@pytest.mark.parametrize("path", ["/via-media-type", "/via-headers"])
def test_your_content_type_wins_and_is_sent_once(path: str) -> None:
    response = TestClient(header_precedence.app).get(path)

    assert response.status_code == 409
    assert response.headers.get_list("content-type") == ["application/problem+json"]
    assert set(response.headers) == {"content-length", "content-type"}
    assert json.loads(response.content) == header_precedence.PROBLEM


def test_a_content_length_you_pass_is_sent_as_given() -> None:
    response = JSONResponse({"a": 1}, headers={"Content-Length": "3"})

    assert len(response.body) == 7
    assert response.headers.getlist("content-length") == ["3"]


def test_no_other_default_headers_are_added() -> None:
    app = FastAPI()

    @app.get("/")
    def root() -> JSONResponse:
        return JSONResponse({"a": 1}, headers={"X-One": "1"})

    response = TestClient(app).get("/")

    assert raw_names(response) == [b"x-one", b"content-length", b"content-type"]


# --- encode_first.py ------------------------------------------------------


def test_datetime_in_content_is_a_500() -> None:
    client = TestClient(encode_first.app, raise_server_exceptions=False)

    assert client.get("/broken-date").status_code == 500
    with pytest.raises(TypeError, match="datetime is not JSON serializable"):
        TestClient(encode_first.app).get("/broken-date")


def test_model_in_content_is_a_500() -> None:
    client = TestClient(encode_first.app, raise_server_exceptions=False)

    assert client.get("/broken-model").status_code == 500
    with pytest.raises(TypeError, match="Item is not JSON serializable"):
        TestClient(encode_first.app).get("/broken-model")


def test_jsonable_encoder_first_makes_it_serializable() -> None:
    response = TestClient(encode_first.app).get("/encoded")

    assert response.status_code == 200
    assert response.json() == {"checked": "2025-03-02T00:00:00"}


def test_model_dump_json_mode_first_makes_it_serializable() -> None:
    response = TestClient(encode_first.app).get("/dumped")

    assert response.status_code == 201
    assert response.json() == {"name": "Pen", "added": "2025-03-01T09:30:00"}


# --- not_a_number.py -------------------------------------------------------


def test_nan_is_a_500_even_after_jsonable_encoder() -> None:
    client = TestClient(not_a_number.app, raise_server_exceptions=False)

    assert client.get("/raw").status_code == 500
    with pytest.raises(ValueError, match="Out of range float values"):
        TestClient(not_a_number.app).get("/raw")


def same_float(a: object, b: float) -> bool:
    """a is the float b, NaN included (NaN != NaN)."""
    return isinstance(a, float) and (a == b or (math.isnan(a) and math.isnan(b)))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_encoders_leave_nan_and_infinity_in_place(value: float) -> None:
    reading = not_a_number.Reading(sensor="t1", value=value)

    assert same_float(jsonable_encoder({"v": value})["v"], value)
    assert same_float(reading.model_dump(mode="json")["value"], value)
    assert reading.model_dump_json() == '{"sensor":"t1","value":null}'


def test_openapi_says_value_is_a_required_number_though_null_is_sent() -> None:
    schema = not_a_number.app.openapi()["components"]["schemas"]["Reading"]

    assert schema["properties"]["value"]["type"] == "number"
    assert "anyOf" not in schema["properties"]["value"]
    assert "value" in schema["required"]
    assert TestClient(not_a_number.app).get("/typed").json()["value"] is None


class MaybeReading(BaseModel):
    sensor: str
    value: float | None


def test_optional_float_documents_null_as_an_answer() -> None:
    app = FastAPI()

    @app.get("/typed")
    def typed() -> MaybeReading:
        return MaybeReading(sensor="t1", value=math.nan)

    schema = app.openapi()["components"]["schemas"]["MaybeReading"]

    assert schema["properties"]["value"]["anyOf"] == [
        {"type": "number"},
        {"type": "null"},
    ]
    assert TestClient(app).get("/typed").content == b'{"sensor":"t1","value":null}'


@pytest.mark.parametrize("status", [100, 103, 204, 304])
def test_no_content_length_for_statuses_without_a_body(status: int) -> None:
    response = JSONResponse({"a": 1}, status_code=status)

    assert [name for name, _ in response.raw_headers] == [b"content-type"]


@pytest.mark.parametrize("status", [200, 201, 202, 206, 404, 500])
def test_content_length_for_other_statuses(status: int) -> None:
    response = JSONResponse({"a": 1}, status_code=status)

    assert [name for name, _ in response.raw_headers] == [
        b"content-length",
        b"content-type",
    ]


def test_typed_route_writes_nan_as_null() -> None:
    response = TestClient(not_a_number.app).get("/typed")

    assert response.status_code == 200
    assert response.content == b'{"sensor":"t1","value":null}'


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_typed_dict_route_writes_nan_and_infinity_as_null(value: float) -> None:
    app = FastAPI()

    @app.get("/")
    def root() -> dict[str, float]:
        return {"v": value}

    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert response.content == b'{"v":null}'


def test_typed_route_with_json_response_class_still_refuses_nan() -> None:
    app = FastAPI()

    @app.get("/", response_class=JSONResponse)
    def root() -> dict[str, float]:
        return {"v": math.nan}

    with pytest.raises(ValueError, match="Out of range float values"):
        TestClient(app).get("/")


def test_uvicorn_adds_date_and_server_headers_by_default() -> None:
    config = uvicorn.Config(custom_error.app)

    assert config.date_header is True
    assert config.server_header is True


@pytest.mark.parametrize("value", [math.inf, -math.inf])
def test_infinity_is_refused_too(value: float) -> None:
    with pytest.raises(ValueError, match="Out of range float values"):
        JSONResponse({"v": value})


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


# --- injected_headers.py ---------------------------------------------------


def test_injected_response_headers_kept_for_a_dict() -> None:
    response = TestClient(injected_headers.app).get("/dict")

    assert response.headers["x-request-cost"] == "3"


def test_injected_response_headers_dropped_for_your_own_response() -> None:
    response = TestClient(injected_headers.app).get("/dropped")

    assert response.status_code == 200
    assert "x-request-cost" not in response.headers
    assert set(response.headers) == {"content-length", "content-type"}


def test_headers_on_the_returned_response_are_sent() -> None:
    response = TestClient(injected_headers.app).get("/fixed")

    assert response.headers["x-request-cost"] == "3"


def test_injected_status_code_is_dropped_too() -> None:
    app = FastAPI()

    @app.get("/")
    def root(response: Response) -> JSONResponse:
        response.status_code = 202
        return JSONResponse({"ok": True})

    assert TestClient(app).get("/").status_code == 200


def test_injected_headers_from_a_dependency_are_dropped_too() -> None:
    def add_cost(response: Response) -> None:
        response.headers["X-Request-Cost"] = "3"

    app = FastAPI()

    @app.get("/dict", dependencies=[Depends(add_cost)])
    def as_dict() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/own", dependencies=[Depends(add_cost)])
    def own() -> JSONResponse:
        return JSONResponse({"ok": True})

    client = TestClient(app)

    assert client.get("/dict").headers["x-request-cost"] == "3"
    assert "x-request-cost" not in client.get("/own").headers


@pytest.mark.parametrize(
    "value", [datetime(2025, 1, 1), uuid.UUID(int=1), Decimal("1.5")]
)
def test_non_json_types_raise_type_error_when_the_response_is_created(
    value: object,
) -> None:
    with pytest.raises(TypeError, match="is not JSON serializable"):
        JSONResponse({"v": value})


def test_clients_match_header_names_in_any_case() -> None:
    response = TestClient(custom_error.app).get("/books/0")

    assert response.headers["X-Error-Code"] == response.headers["x-error-code"]


def test_http_exception_sends_a_detail_body() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> None:
        raise HTTPException(status_code=404, detail="Item not found")

    response = TestClient(app).get("/items/0")

    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


# --- hostile input (tests/hostile.py) ----------------------------------------

EXAMPLES = [
    custom_error,
    documented_error,
    encode_first,
    header_precedence,
    injected_headers,
    model_bypass,
    not_a_number,
]
# The routes the page shows failing, next to their fix.
FAILS_ON_PURPOSE: dict[ModuleType, set[str]] = {
    encode_first: {"/broken-date", "/broken-model"},
    not_a_number: {"/raw"},
}
# Examples the page shows as a mistake; their docstring starts "Mistake:".
MISTAKES = {encode_first, model_bypass, not_a_number}


def test_every_example_of_the_page_is_checked_for_hostile_input() -> None:
    assert set(page_examples("json_response")) == set(EXAMPLES)
    assert set(FAILS_ON_PURPOSE) <= MISTAKES


@pytest.mark.parametrize("module", EXAMPLES, ids=lambda m: m.__name__)
def test_hostile_input_gets_2xx_to_4xx_and_a_bounded_body(module: ModuleType) -> None:
    expected = FAILS_ON_PURPOSE.get(module, set())

    assert failing_routes(module.app) == expected, [
        str(failure) for failure in failures(module.app)
    ]


@pytest.mark.parametrize("module", EXAMPLES, ids=lambda m: m.__name__)
def test_an_example_shown_as_a_mistake_says_so(module: ModuleType) -> None:
    assert is_mistake(module) == (module in MISTAKES)
