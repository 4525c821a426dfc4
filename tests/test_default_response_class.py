"""FastAPI(default_response_class=...) and the state of ORJSONResponse
(docs/default_response_class.md)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import orjson
import pytest
from fastapi import FastAPI, Response
from fastapi.exceptions import FastAPIDeprecationWarning
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    StreamingResponse,
    UJSONResponse,
)
from fastapi.sse import EventSourceResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from examples.default_response_class import (
    html_first,
    orjson_by_hand,
    orjson_default,
    typed_instead,
)
from tests.hostile import failing_routes, failures, is_mistake, page_examples

ROOT = Path(__file__).resolve().parent.parent


class Item(BaseModel):
    name: str


def documented_200(app: FastAPI, path: str) -> dict[str, object]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]["content"]


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


def test_deprecation_warning_is_a_user_warning() -> None:
    assert issubclass(FastAPIDeprecationWarning, UserWarning)
    assert not issubclass(FastAPIDeprecationWarning, DeprecationWarning)


def test_warning_is_shown_with_default_filters() -> None:
    code = (
        "from fastapi.testclient import TestClient\n"
        "from examples.default_response_class.orjson_default import app\n"
        "TestClient(app).get('/typed')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},
    )

    assert "FastAPIDeprecationWarning: ORJSONResponse is deprecated" in run.stderr


def printed_warnings(*python_options: str) -> list[str]:
    """Run four requests (two per route) in a fresh Python with default filters;
    return the warning lines it prints."""
    code = (
        "from fastapi.testclient import TestClient\n"
        "from examples.default_response_class.orjson_default import app\n"
        "client = TestClient(app)\n"
        "for path in ['/untyped', '/typed', '/untyped', '/typed']:\n"
        "    assert client.get(path).status_code == 200\n"
    )
    run = subprocess.run(
        [sys.executable, *python_options, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},
    )
    return [line for line in run.stderr.splitlines() if "Warning:" in line]


def test_default_filters_print_the_warning_once_pointing_at_fastapi() -> None:
    lines = printed_warnings()

    # Issued on every request, printed once: the default filters show a
    # warning once per place that issues it, and that place is in FastAPI.
    assert len(lines) == 1
    place, _, message = lines[0].partition(": FastAPIDeprecationWarning: ")
    assert message.startswith("ORJSONResponse is deprecated")
    assert re.search(r"/fastapi/routing\.py:\d+$", place), place
    assert "examples" not in place


def test_with_w_always_every_request_prints_it() -> None:
    lines = printed_warnings("-W", "always")

    assert len(lines) == 4
    assert all("/fastapi/routing.py:" in line for line in lines)


def test_without_orjson_the_import_works_but_a_response_fails() -> None:
    code = (
        "import sys\n"
        "sys.modules['orjson'] = None\n"
        "import warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from fastapi.responses import ORJSONResponse\n"
        "print('imported')\n"
        "ORJSONResponse({'a': 1})\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.stdout == "imported\n"
    assert run.returncode != 0
    assert "AssertionError: orjson must be installed" in run.stderr


# --- hostile input (tests/hostile.py) ----------------------------------------

EXAMPLES = [
    html_first,
    orjson_by_hand,
    orjson_default,
    typed_instead,
]
# The routes the page shows failing, next to their fix.
FAILS_ON_PURPOSE: dict[ModuleType, set[str]] = {}
# Examples the page shows as a mistake; their docstring starts "Mistake:".
MISTAKES = {orjson_default}


def test_every_example_of_the_page_is_checked_for_hostile_input() -> None:
    assert set(page_examples("default_response_class")) == set(EXAMPLES)
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


# --- routes that yield under a default response class -------------------------


def yielding_app(default: type[Response] | None) -> FastAPI:
    app = FastAPI() if default is None else FastAPI(default_response_class=default)

    @app.get("/lines")
    def lines():  # type: ignore[no-untyped-def]
        yield {"n": 1}
        yield {"n": 2}

    @app.get("/async-lines")
    async def async_lines():  # type: ignore[no-untyped-def]
        yield {"n": 1}

    @app.get("/raw", response_class=StreamingResponse)
    def raw():  # type: ignore[no-untyped-def]
        yield "a,b\n"

    @app.get("/events", response_class=EventSourceResponse)
    def events():  # type: ignore[no-untyped-def]
        yield {"n": 1}

    return app


def test_without_a_default_a_yielding_route_sends_json_lines() -> None:
    app = yielding_app(None)

    response = TestClient(app).get("/lines")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"n": 1},
        {"n": 2},
    ]
    assert list(documented_200(app, "/lines")) == ["application/jsonl"]


@pytest.mark.parametrize(
    ("default", "error", "message"),
    [
        (JSONResponse, TypeError, "generator is not JSON serializable"),
        (ORJSONResponse, TypeError, "not JSON serializable: (async_)?generator"),
        (HTMLResponse, AttributeError, "generator' object has no attribute"),
    ],
)
@pytest.mark.parametrize("path", ["/lines", "/async-lines"])
@pytest.mark.filterwarnings("ignore::fastapi.exceptions.FastAPIDeprecationWarning")
def test_any_default_class_makes_a_yielding_route_a_500(
    default: type[Response], error: type[Exception], message: str, path: str
) -> None:
    app = yielding_app(default)

    response = TestClient(app, raise_server_exceptions=False).get(path)

    assert response.status_code == 500
    with pytest.raises(error, match=message):
        TestClient(app).get(path)
    # ... while the OpenAPI document promises the default's media type.
    assert list(documented_200(app, path)) == [default.media_type]


@pytest.mark.parametrize("default", [JSONResponse, ORJSONResponse, HTMLResponse])
def test_a_yielding_route_with_its_own_stream_class_still_streams(
    default: type[Response],
) -> None:
    client = TestClient(yielding_app(default))

    raw = client.get("/raw")
    events = client.get("/events")

    assert (raw.status_code, raw.text) == (200, "a,b\n")
    assert events.status_code == 200
    assert events.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert events.text == 'data: {"n": 1}\n\n'
