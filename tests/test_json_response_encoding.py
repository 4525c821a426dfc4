"""What JSONResponse can encode: dates and models first, NaN and infinity
(docs/json_response.md)."""

from __future__ import annotations

import math

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.responses import JSONResponse

from examples.json_response import (
    custom_error,
    encode_first,
    not_a_number,
)

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
