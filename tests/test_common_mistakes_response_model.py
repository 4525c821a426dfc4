"""A returned JSONResponse skips response_model, and the Response parameter keeps it
(docs/common_mistakes.md)."""

from __future__ import annotations

from types import ModuleType

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from examples.common_mistakes import (
    jsonresponse_leaks_secret,
    large_file_read_into_memory,
    large_file_with_fileresponse,
    raw_bytes_from_json_route,
    raw_bytes_with_response,
    response_parameter_keeps_filter,
    stream_with_media_type,
    stream_without_media_type,
)
from tests.hostile import failing_routes, failures, is_mistake, page_examples


def openapi_200(app: FastAPI, path: str) -> dict[str, object]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]


# --- 4. JSONResponse skips response_model -----------------------------------


def test_jsonresponse_sends_the_password_hash() -> None:
    response = TestClient(jsonresponse_leaks_secret.app).get("/users/1")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "id": 1,
        "email": "ada@example.com",
        "password_hash": "not-a-real-hash",
    }


def test_response_parameter_keeps_the_header_and_the_filter() -> None:
    response = TestClient(response_parameter_keeps_filter.app).get("/users/1")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"id": 1, "email": "ada@example.com"}


@pytest.mark.parametrize(
    "module", [jsonresponse_leaks_secret, response_parameter_keeps_filter]
)
def test_both_are_documented_as_returning_a_user(module: ModuleType) -> None:
    documented = openapi_200(module.app, "/users/{user_id}")

    assert documented["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/User"}}
    }
    openapi = TestClient(module.app).get("/openapi.json").json()
    assert set(openapi["components"]["schemas"]["User"]["properties"]) == {
        "id",
        "email",
    }


def test_any_returned_response_skips_validation_and_filtering() -> None:
    app = FastAPI()
    row = b'{"id":1,"email":"ada@example.com","password_hash":"x"}'

    @app.get("/raw", response_model=jsonresponse_leaks_secret.User)
    def raw() -> Response:
        return Response(row, media_type="application/json")

    @app.get("/text", response_model=jsonresponse_leaks_secret.User)
    def text() -> Response:
        return PlainTextResponse("not a user at all")

    client = TestClient(app)
    assert client.get("/raw").content == row
    response = client.get("/text")
    assert response.status_code == 200
    assert response.text == "not a user at all"


# --- hostile input (tests/hostile.py) ----------------------------------------

EXAMPLES = [
    jsonresponse_leaks_secret,
    large_file_read_into_memory,
    large_file_with_fileresponse,
    raw_bytes_from_json_route,
    raw_bytes_with_response,
    response_parameter_keeps_filter,
    stream_with_media_type,
    stream_without_media_type,
]
# The routes the page shows failing, next to their fix.
FAILS_ON_PURPOSE: dict[ModuleType, set[str]] = {
    large_file_read_into_memory: {"/logo.png"},
    raw_bytes_from_json_route: {"/pixel.png", "/pixel-typed.png"},
}
# Examples the page shows as a mistake; their docstring starts "Mistake:".
MISTAKES = {
    jsonresponse_leaks_secret,
    large_file_read_into_memory,
    raw_bytes_from_json_route,
    stream_without_media_type,
}


def test_every_example_of_the_page_is_checked_for_hostile_input() -> None:
    assert set(page_examples("common_mistakes")) == set(EXAMPLES)
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


def trap_app() -> FastAPI:
    """Routes that break only on the inputs tests/hostile.py must send."""
    app = FastAPI()

    @app.get("/files/{name:path}")
    def file(name: str) -> dict[str, str]:
        if name.startswith(("/", "\\")) or name[1:3] == ":\\":
            raise RuntimeError("absolute path")
        return {"name": name}

    @app.get("/events")
    def events(request: Request) -> dict[str, int]:
        return {"after": int(request.headers.get("last-event-id", "0"))}

    @app.get("/only-get")
    def only_get() -> dict[str, bool]:
        return {"ok": True}

    @app.middleware("http")
    async def break_on(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.method in {"HEAD", "DELETE"} and request.url.path == "/only-get":
            raise RuntimeError(request.method)
        return await call_next(request)

    return app


def test_hostile_input_reaches_absolute_paths_event_ids_and_other_methods() -> None:
    found = failures(trap_app())

    asked = {(f.method, f.path, tuple(f.headers)) for f in found}
    assert {path for method, path, _ in asked if path.startswith("/files/")} == {
        "/files/%2fetc%2fpasswd",
        "/files/%2F%2Fetc%2Fpasswd",
        "/files/C:%5cWindows%5cwin.ini",
        "/files/%5c%5cserver%5cshare",
    }
    assert ("GET", "/events", ("Last-Event-ID",)) in asked
    assert {method for method, path, _ in asked if path == "/only-get"} == {
        "HEAD",
        "DELETE",
    }
    assert failing_routes(trap_app()) == {"/files/{name:path}", "/events", "/only-get"}
