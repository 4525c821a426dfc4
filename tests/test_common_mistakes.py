"""Each mistake and its fix (docs/common_mistakes.md)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.sse import EventSourceResponse
from fastapi.testclient import TestClient
from pydantic_core import PydanticSerializationError

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

MiB = 1024 * 1024
CHUNK = 64 * 1024


def chunks_of(app: FastAPI, path: str) -> list[bytes]:
    """The body as the app sent it: one item per ASGI body message."""
    with TestClient(app).stream("GET", path) as response:
        assert response.status_code == 200
        return list(response.iter_raw())


def peak_memory_of_download(app: FastAPI, path: str) -> int:
    """Peak memory traced while the app serves `path`; the client drops each chunk."""
    client = TestClient(app)
    with client.stream("GET", path) as response:  # warm up: first-call imports
        for _ in response.iter_raw():
            pass
    tracemalloc.start()
    try:
        with client.stream("GET", path) as response:
            assert response.status_code == 200
            for _ in response.iter_raw():
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def csv_file(folder: Path, size: int) -> Path:
    path = folder / f"report-{size}.csv"
    row = b"1234,Notebook,3,4.00\n"
    path.write_bytes(row * (size // len(row)) + b"x" * (size % len(row)))
    assert path.stat().st_size == size
    return path


# --- 1. A large file read into memory ---------------------------------------

REPORT = large_file_read_into_memory.REPORT
LOGO = large_file_read_into_memory.LOGO


def test_the_examples_serve_the_same_files() -> None:
    assert large_file_with_fileresponse.REPORT == REPORT
    assert large_file_with_fileresponse.LOGO == LOGO
    assert REPORT.stat().st_size > CHUNK  # big enough to need two chunks


def test_read_into_memory_sends_the_whole_file_as_one_chunk() -> None:
    chunks = chunks_of(large_file_read_into_memory.app, "/report.csv")

    assert chunks == [REPORT.read_bytes()]


def test_fileresponse_sends_the_same_file_in_64_kib_chunks() -> None:
    chunks = chunks_of(large_file_with_fileresponse.app, "/report.csv")

    assert [len(c) for c in chunks] == [CHUNK, REPORT.stat().st_size - CHUNK]
    assert b"".join(chunks) == REPORT.read_bytes()


def test_both_send_the_same_headers_that_matter() -> None:
    mistake = TestClient(large_file_read_into_memory.app).get("/report.csv")
    fix = TestClient(large_file_with_fileresponse.app).get("/report.csv")

    for response in (mistake, fix):
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-length"] == str(REPORT.stat().st_size)
    assert mistake.content == fix.content
    assert set(mistake.headers) == {"content-type", "content-length"}
    assert set(fix.headers) == {
        "content-type",
        "content-length",
        "accept-ranges",
        "etag",
        "last-modified",
    }


@pytest.mark.parametrize("size", [2 * MiB, 8 * MiB])
def test_read_into_memory_holds_two_copies_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(large_file_read_into_memory, "REPORT", csv_file(tmp_path, size))

    peak = peak_memory_of_download(large_file_read_into_memory.app, "/report.csv")

    # one copy as the str from read_text(), one as the bytes Response encodes
    assert peak >= 2 * size


def test_read_into_memory_grows_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    peaks = []
    for size in (2 * MiB, 8 * MiB):
        monkeypatch.setattr(
            large_file_read_into_memory, "REPORT", csv_file(tmp_path, size)
        )
        peaks.append(
            peak_memory_of_download(large_file_read_into_memory.app, "/report.csv")
        )

    assert peaks[1] - peaks[0] >= 8 * MiB - 2 * MiB


@pytest.mark.parametrize("size", [2 * MiB, 8 * MiB])
def test_fileresponse_memory_does_not_depend_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(
        large_file_with_fileresponse, "REPORT", csv_file(tmp_path, size)
    )

    peak = peak_memory_of_download(large_file_with_fileresponse.app, "/report.csv")

    assert peak < 1 * MiB


def test_fileresponse_memory_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    peaks = []
    for size in (2 * MiB, 8 * MiB):
        monkeypatch.setattr(
            large_file_with_fileresponse, "REPORT", csv_file(tmp_path, size)
        )
        peaks.append(
            peak_memory_of_download(large_file_with_fileresponse.app, "/report.csv")
        )

    assert abs(peaks[1] - peaks[0]) < CHUNK


def test_fileresponse_chunks_a_large_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(tmp_path, 8 * MiB + 100)
    monkeypatch.setattr(large_file_with_fileresponse, "REPORT", path)

    sizes = [len(c) for c in chunks_of(large_file_with_fileresponse.app, "/report.csv")]

    assert sizes == [CHUNK] * 128 + [100]


def test_reading_a_binary_file_as_text_is_a_500() -> None:
    app = large_file_read_into_memory.app
    response = TestClient(app, raise_server_exceptions=False).get("/logo.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(UnicodeDecodeError):
        TestClient(app).get("/logo.png")


def test_fileresponse_sends_a_binary_file_unchanged() -> None:
    response = TestClient(large_file_with_fileresponse.app).get("/logo.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == LOGO.read_bytes()
    assert response.content.startswith(b"\x89PNG")


# --- 2. A stream without media_type -----------------------------------------

CSV_ROWS = [
    b"order_id,product,quantity\n",
    b"1,Pen,3\n",
    b"2,Notebook,1\n",
    b"3,Stapler,2\n",
]


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_stream_without_media_type_sends_no_headers_at_all(path: str) -> None:
    response = TestClient(stream_without_media_type.app).get(path)

    assert response.status_code == 200
    assert response.headers.get("content-type") is None
    assert set(response.headers) == set()
    assert response.content == b"".join(CSV_ROWS)


def test_stream_with_media_type_sends_content_type_and_file_name() -> None:
    response = TestClient(stream_with_media_type.app).get("/orders.csv")

    assert set(response.headers) == {"content-type", "content-disposition"}
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="orders.csv"'
    )


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_stream_with_media_type_sends_each_row_as_it_is_yielded(path: str) -> None:
    assert chunks_of(stream_with_media_type.app, path) == CSV_ROWS


def test_yielding_route_gets_its_media_type_from_the_subclass() -> None:
    client = TestClient(stream_with_media_type.app)
    response = client.get("/orders-yielded.csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert set(response.headers) == {"content-type"}
    openapi = client.get("/openapi.json").json()
    content = openapi["paths"]["/orders-yielded.csv"]["get"]["responses"]["200"]
    assert list(content["content"]) == ["text/csv"]


@pytest.mark.parametrize("path", ["/orders.csv", "/orders-yielded.csv"])
def test_both_csv_routes_are_documented_as_text_csv(path: str) -> None:
    openapi = TestClient(stream_with_media_type.app).get("/openapi.json").json()

    assert openapi["paths"][path]["get"]["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string"}}
    }


def test_returning_a_stream_without_response_class_is_documented_as_json() -> None:
    app = stream_without_media_type.app
    openapi = TestClient(app).get("/openapi.json").json()

    content = openapi["paths"]["/orders.csv"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/json"]


class CSVSubclass(StreamingResponse):
    media_type = "text/csv"


class SSESubclass(EventSourceResponse):
    pass


@pytest.mark.parametrize(
    ("response_class", "status", "content_type", "body"),
    [
        (StreamingResponse, 200, None, "a,b\n"),
        (CSVSubclass, 200, "text/csv; charset=utf-8", "a,b\n"),
        (
            EventSourceResponse,
            200,
            "text/event-stream; charset=utf-8",
            'data: "a,b\\n"\n\n',
        ),
        (SSESubclass, 200, "text/event-stream; charset=utf-8", 'data: "a,b\\n"\n\n'),
        (PlainTextResponse, 500, "text/plain; charset=utf-8", "Internal Server Error"),
        (Response, 500, "text/plain; charset=utf-8", "Internal Server Error"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_what_a_yielding_route_sends_depends_on_its_response_class(
    response_class: type[Response], status: int, content_type: str | None, body: str
) -> None:
    app = FastAPI()

    @app.get("/rows", response_class=response_class)
    def rows():
        yield "a,b\n"

    response = TestClient(app, raise_server_exceptions=False).get("/rows")

    assert response.status_code == status
    assert response.headers.get("content-type") == content_type
    assert response.text == body


def test_yielding_route_without_response_class_sends_json_lines() -> None:
    app = FastAPI()

    @app.get("/orders")
    def orders():
        for order_id, product, quantity in stream_without_media_type.ORDERS:
            yield {"order_id": order_id, "product": product, "quantity": quantity}

    response = TestClient(app).get("/orders")

    assert response.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"order_id": 1, "product": "Pen", "quantity": 3},
        {"order_id": 2, "product": "Notebook", "quantity": 1},
        {"order_id": 3, "product": "Stapler", "quantity": 2},
    ]


@pytest.mark.parametrize(
    ("media_type", "sent"),
    [
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/plain", "text/plain; charset=utf-8"),
        ("text/plain; charset=latin-1", "text/plain; charset=latin-1"),
        ("application/x-ndjson", "application/x-ndjson"),
    ],
)
def test_text_media_types_get_a_utf_8_charset(media_type: str, sent: str) -> None:
    app = FastAPI()

    @app.get("/stream")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter(["a\n"]), media_type=media_type)

    assert TestClient(app).get("/stream").headers["content-type"] == sent


# --- 3. Raw bytes from a JSON route -----------------------------------------

PIXEL_PNG = raw_bytes_from_json_route.PIXEL_PNG


def test_the_pixel_is_a_png_that_is_not_utf_8() -> None:
    assert raw_bytes_with_response.PIXEL_PNG == PIXEL_PNG
    assert PIXEL_PNG.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(UnicodeDecodeError):
        PIXEL_PNG.decode()


def test_utf_8_bytes_are_sent_as_a_json_string() -> None:
    response = TestClient(raw_bytes_from_json_route.app).get("/greeting")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'"hello"'
    assert response.json() == "hello"


def test_binary_bytes_from_an_untyped_route_are_a_500() -> None:
    app = raw_bytes_from_json_route.app
    response = TestClient(app, raise_server_exceptions=False).get("/pixel.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(UnicodeDecodeError):
        TestClient(app).get("/pixel.png")


def test_binary_bytes_from_a_bytes_typed_route_are_a_500() -> None:
    app = raw_bytes_from_json_route.app
    response = TestClient(app, raise_server_exceptions=False).get("/pixel-typed.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(PydanticSerializationError, match="invalid utf-8"):
        TestClient(app).get("/pixel-typed.png")


def test_response_sends_the_bytes_unchanged() -> None:
    response = TestClient(raw_bytes_with_response.app).get("/pixel.png")

    assert response.status_code == 200
    assert set(response.headers) == {"content-type", "content-length"}
    assert response.headers["content-type"] == "image/png"
    assert response.content == PIXEL_PNG


def test_plain_text_route_sends_the_text_itself() -> None:
    response = TestClient(raw_bytes_with_response.app).get("/greeting")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == b"hello"


def openapi_200(app: FastAPI, path: str) -> dict[str, object]:
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]


def test_mistake_is_documented_as_json() -> None:
    documented = openapi_200(raw_bytes_from_json_route.app, "/pixel.png")

    assert list(documented["content"]) == ["application/json"]


def test_fix_is_documented_as_png_only() -> None:
    documented = openapi_200(raw_bytes_with_response.app, "/pixel.png")

    assert documented["content"] == {"image/png": {}}


def test_you_need_both_response_class_and_responses_for_the_docs() -> None:
    app = FastAPI()
    png = {200: {"content": {"image/png": {}}}}

    @app.get("/class-only", response_class=Response)
    def class_only() -> Response:
        return Response(PIXEL_PNG, media_type="image/png")

    @app.get("/responses-only", responses=png)
    def responses_only() -> Response:
        return Response(PIXEL_PNG, media_type="image/png")

    assert "content" not in openapi_200(app, "/class-only")
    assert openapi_200(app, "/responses-only")["content"] == {
        "application/json": {"schema": {}},
        "image/png": {},
    }


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
