"""Each example of docs/default_response_class.md: a default class, ORJSONResponse as
the default, a typed return instead, and orjson by hand."""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterator

import orjson
import pytest
from fastapi import FastAPI, Response
from fastapi.exceptions import FastAPIDeprecationWarning
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    UJSONResponse,
)
from fastapi.testclient import TestClient
from pydantic import BaseModel

from examples.default_response_class import (
    html_first,
    orjson_by_hand,
    orjson_default,
    typed_instead,
)
from tests.support import documented_200


class Item(BaseModel):
    name: str


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record which response class renders each body (by class name)."""
    seen: list[str] = []
    for cls in (JSONResponse, ORJSONResponse):
        original = cls.__dict__["render"]

        def spy(self, content, _original=original):  # type: ignore[no-untyped-def]
            seen.append(type(self).__name__)
            return _original(self, content)

        monkeypatch.setattr(cls, "render", spy)
    yield seen


# --- html_first.py ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"), [("/", "<h1>Shop</h1>"), ("/about", "<p>Open 9 to 5.</p>")]
)
def test_default_class_applies_to_every_route(path: str, body: str) -> None:
    response = TestClient(html_first.app).get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == body


def test_per_route_response_class_overrides_the_default() -> None:
    response = TestClient(html_first.app).get("/api/status")

    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"open": True}


def test_openapi_follows_the_default_and_the_override() -> None:
    app = html_first.app

    assert documented_200(app, "/") == {"text/html": {"schema": {"type": "string"}}}
    assert documented_200(app, "/about") == {
        "text/html": {"schema": {"type": "string"}}
    }
    assert documented_200(app, "/api/status") == {"application/json": {"schema": {}}}


def test_typed_model_route_under_html_default_is_a_500() -> None:
    app = FastAPI(default_response_class=HTMLResponse)

    @app.get("/item")
    def item() -> Item:
        return Item(name="Pen")

    assert documented_200(app, "/item") == {"text/html": {"schema": {"type": "string"}}}
    with pytest.raises(AttributeError, match="'dict' object has no attribute"):
        TestClient(app).get("/item")


def test_typed_route_with_json_override_is_filtered_but_uses_json_response(
    renders: list[str],
) -> None:
    app = FastAPI(default_response_class=HTMLResponse)

    @app.get("/item", response_class=JSONResponse)
    def item() -> Item:
        return {"name": "Pen", "secret": 1}  # type: ignore[return-value]

    response = TestClient(app).get("/item")

    assert response.json() == {"name": "Pen"}
    assert renders == ["JSONResponse"]
    assert documented_200(app, "/item") == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
    }


def test_explicit_json_response_default_turns_off_the_pydantic_path(
    renders: list[str],
) -> None:
    explicit = FastAPI(default_response_class=JSONResponse)
    implicit = FastAPI()
    for app in (explicit, implicit):

        @app.get("/item")
        def item() -> Item:
            return Item(name="Pen")

    TestClient(implicit).get("/item")
    assert renders == []
    TestClient(explicit).get("/item")
    assert renders == ["JSONResponse"]


# --- orjson_default.py -----------------------------------------------------


def test_building_the_app_does_not_warn() -> None:
    # filterwarnings = error: any warning here would fail the test.
    app = FastAPI(default_response_class=ORJSONResponse)

    @app.get("/")
    def root():
        return {}

    assert app.openapi()["paths"]["/"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": {}}
    }


@pytest.mark.parametrize("path", ["/untyped", "/typed"])
def test_every_request_warns(path: str) -> None:
    client = TestClient(orjson_default.app)

    for _ in range(2):
        with pytest.warns(FastAPIDeprecationWarning, match="ORJSONResponse"):
            response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"name": "Pen", "price": 1.5}
        assert response.headers["content-type"] == "application/json"


def test_typed_route_is_rendered_by_orjson_not_by_pydantic(
    renders: list[str],
) -> None:
    with pytest.warns(FastAPIDeprecationWarning):
        TestClient(orjson_default.app).get("/typed")

    assert renders == ["ORJSONResponse"]


def test_typed_route_is_still_validated_and_filtered() -> None:
    app = FastAPI(default_response_class=ORJSONResponse)

    @app.get("/item")
    def item() -> Item:
        return {"name": "Pen", "secret": 1}  # type: ignore[return-value]

    with pytest.warns(FastAPIDeprecationWarning):
        response = TestClient(app).get("/item")

    assert response.json() == {"name": "Pen"}


def test_orjson_response_warns_when_instantiated() -> None:
    with pytest.warns(FastAPIDeprecationWarning, match="ORJSONResponse is deprecated"):
        ORJSONResponse({"a": 1})


def test_ujson_response_warns_when_instantiated() -> None:
    # ujson is not installed, so rendering then fails; the warning comes first.
    with (
        pytest.raises(AssertionError, match="ujson must be installed"),
        pytest.warns(FastAPIDeprecationWarning, match="UJSONResponse is deprecated"),
    ):
        UJSONResponse({"a": 1})


def requirements_by_extra(distribution: str) -> dict[str, set[str]]:
    """Requirement names of an installed distribution, by extra ("" = always)."""
    by_extra: dict[str, set[str]] = {
        extra: set()
        for extra in importlib.metadata.metadata(distribution).get_all("Provides-Extra")
        or []
    }
    by_extra[""] = set()
    for requirement in importlib.metadata.requires(distribution) or []:
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
        extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", requirement)
        by_extra[extra.group(1) if extra else ""].add(name)
    return by_extra


def test_no_extra_of_fastapi_installs_orjson_or_ujson() -> None:
    by_extra = requirements_by_extra("fastapi")

    assert {"standard", "all"} <= set(by_extra)
    assert "uvicorn" in by_extra["standard"]  # the parsing finds what is there
    for extra, names in by_extra.items():
        assert not names & {"orjson", "ujson"}, extra


def test_fastapi_does_not_depend_on_orjson_or_ujson() -> None:
    requirements = importlib.metadata.requires("fastapi") or []
    names = {re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0] for req in requirements}

    assert "pydantic" in names
    assert not names & {"orjson", "ujson"}


# --- typed_instead.py ------------------------------------------------------


def test_typed_route_uses_neither_response_class(renders: list[str]) -> None:
    response = TestClient(typed_instead.app).get("/items")

    assert renders == []
    assert response.headers["content-type"] == "application/json"
    assert set(response.headers) == {"content-length", "content-type"}
    assert response.content == (
        b'[{"name":"Pen","price":1.5},{"name":"Notebook","price":4.0}]'
    )


def test_typed_route_does_not_warn() -> None:
    # filterwarnings = error turns any warning into a failure.
    assert TestClient(typed_instead.app).get("/items").status_code == 200


def test_typed_instead_documents_the_model() -> None:
    assert documented_200(typed_instead.app, "/items") == {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Item"},
                "title": "Response List Items Items Get",
            }
        }
    }


# --- orjson_by_hand.py -----------------------------------------------------


def test_orjson_by_hand_sends_json_without_warnings(renders: list[str]) -> None:
    response = TestClient(orjson_by_hand.app).get("/matrix")

    assert renders == []
    assert response.headers["content-type"] == "application/json"
    assert set(response.headers) == {"content-length", "content-type"}
    assert response.json() == {"1": [0.5, 1.0], "2": [1.5, 2.0]}


def test_orjson_needs_the_option_for_int_keys() -> None:
    with pytest.raises(TypeError, match="Dict key must be str"):
        orjson.dumps({1: [0.5]})


def test_orjson_by_hand_sends_what_json_response_would() -> None:
    response = TestClient(orjson_by_hand.app).get("/matrix")

    assert response.content == JSONResponse({1: [0.5, 1.0], 2: [1.5, 2.0]}).body


def test_int_keys_need_no_orjson() -> None:
    rows = {1: [0.5, 1.0], 2: [1.5, 2.0]}
    app = FastAPI()

    @app.get("/json-response")
    def json_response() -> JSONResponse:
        return JSONResponse(rows)

    @app.get("/untyped")
    def untyped():  # type: ignore[no-untyped-def]
        return rows

    @app.get("/typed")
    def typed() -> dict[int, list[float]]:
        return rows

    client = TestClient(app)
    for path in ("/json-response", "/untyped", "/typed"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"1": [0.5, 1.0], "2": [1.5, 2.0]}


def test_orjson_without_the_option_in_a_route_is_a_500() -> None:
    app = FastAPI()

    @app.get("/matrix")
    def matrix() -> Response:
        return Response(orjson.dumps({1: [0.5]}), media_type="application/json")

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/matrix").status_code == 500


def test_orjson_by_hand_is_documented_as_untyped_json() -> None:
    assert documented_200(orjson_by_hand.app, "/matrix") == {
        "application/json": {"schema": {}}
    }


def test_response_class_on_one_route_also_leaves_the_pydantic_path(
    renders: list[str],
) -> None:
    app = FastAPI()

    @app.get("/item", response_class=JSONResponse)
    def item() -> Item:
        return Item(name="Pen")

    TestClient(app).get("/item")

    assert renders == ["JSONResponse"]


def test_response_model_takes_the_pydantic_path_like_a_return_type(
    renders: list[str],
) -> None:
    app = FastAPI()

    @app.get("/item", response_model=Item)
    def item():
        return {"name": "Pen", "secret": 1}

    response = TestClient(app).get("/item")

    assert renders == []
    assert response.content == b'{"name":"Pen"}'
