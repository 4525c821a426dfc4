"""Behaviour of the examples on docs/middleware.md, through TestClient and raw
ASGI calls: what GZipMiddleware compresses and which headers it changes, the
function and the pure ASGI middleware, and the body-rewriting middleware with
the content-length it must fix. tests/e2e/test_middleware_real.py shows the
same on a real uvicorn, with the arrival of each chunk."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from examples.middleware import (
    asgi_middleware,
    function_middleware,
    gzip_responses,
    stamp_fixed,
    stamp_mistake,
)
from tests.support import asgi_messages

GZIP = {"accept-encoding": "gzip"}


def raw_get(
    app: object, path: str, headers: dict[str, str]
) -> tuple[dict[str, str], bytes]:
    """Headers and the body as sent (not decoded) by the app."""
    with TestClient(app).stream("GET", path, headers=headers) as response:
        assert response.status_code == 200
        return dict(response.headers), b"".join(response.iter_raw())


# --- GZipMiddleware -----------------------------------------------------------


def test_the_example_sets_minimum_size_and_compresslevel() -> None:
    (middleware,) = gzip_responses.app.user_middleware
    assert middleware.cls is GZipMiddleware
    assert middleware.kwargs == {"minimum_size": 500, "compresslevel": 6}


def test_the_defaults_are_500_bytes_and_level_9() -> None:
    inner = GZipMiddleware(gzip_responses.app)
    assert (inner.minimum_size, inner.compresslevel) == (500, 9)


def test_a_body_below_minimum_size_goes_out_as_it_is() -> None:
    headers, body = raw_get(gzip_responses.app, "/text?size=499", GZIP)

    assert body == b"a" * 499
    assert headers["content-length"] == "499"
    assert "content-encoding" not in headers
    assert "vary" not in headers


def test_a_body_of_minimum_size_is_compressed_at_the_level_set() -> None:
    headers, body = raw_get(gzip_responses.app, "/text?size=500", GZIP)

    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-length"] == str(len(body)) == "26"
    assert gzip.decompress(body) == b"a" * 500
    # compresslevel=6, not the default 9: the same bytes zlib makes at level 6
    # (a gzip header records the level class: byte 8 is 0 here, 2 for level 9).
    level6 = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    assert body == level6.compress(b"a" * 500) + level6.flush()
    assert body[8] == 0


@pytest.mark.parametrize("accept", ["identity", "br", "deflate", ""])
def test_without_gzip_in_accept_encoding_nothing_is_compressed_but_vary_is_added(
    accept: str,
) -> None:
    headers, body = raw_get(
        gzip_responses.app, "/text?size=500", {"accept-encoding": accept}
    )

    assert body == b"a" * 500
    assert headers["content-length"] == "500"
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"


def test_gzip_with_q_0_still_gets_gzip() -> None:
    """The middleware looks for the letters "gzip", not at their weight."""
    headers, body = raw_get(
        gzip_responses.app, "/text?size=500", {"accept-encoding": "gzip;q=0, br"}
    )

    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == b"a" * 500


def test_the_media_types_left_alone() -> None:
    assert DEFAULT_EXCLUDED_CONTENT_TYPES == (
        "application/grpc",
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "audio/*",
        "font/woff",
        "font/woff2",
        "image/avif",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
        "text/event-stream",
        "video/*",
    )


@pytest.mark.parametrize(
    ("media_type", "compressed"),
    [
        ("application/grpc+proto", False),
        ("image/png", False),
        ("video/mp4", False),
        ("text/event-stream; charset=utf-8", False),
        ("text/plain; charset=utf-8", True),
        ("image/svg+xml", True),
    ],
)
def test_the_list_is_checked_by_media_type_and_by_family(
    media_type: str, compressed: bool
) -> None:
    async def app(scope: dict, receive: object, send: object) -> None:
        headers = [(b"content-type", media_type.encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"a" * 1000})

    headers, _ = raw_get(GZipMiddleware(app), "/", GZIP)

    assert ("content-encoding" in headers) is compressed


def test_exclude_content_types_replaces_the_list() -> None:
    async def app(scope: dict, receive: object, send: object) -> None:
        media_type = scope["path"].strip("/").encode()  # /text/plain: text/plain
        headers = [(b"content-type", media_type)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"a" * 1000})

    gzip_app = GZipMiddleware(app, exclude_content_types=("text/plain",))

    assert "content-encoding" not in raw_get(gzip_app, "/text/plain", GZIP)[0]
    # The default list no longer applies: server-sent events get compressed.
    headers, _ = raw_get(gzip_app, "/text/event-stream", GZIP)
    assert headers["content-encoding"] == "gzip"


def test_server_sent_events_are_not_compressed() -> None:
    headers, body = raw_get(gzip_responses.app, "/events", GZIP)

    assert headers["content-type"] == "text/event-stream; charset=utf-8"
    assert "content-encoding" not in headers
    assert "vary" not in headers
    assert body == b"".join(b'data: "tick %d"\n\n' % n for n in range(3))


def test_a_body_with_a_content_encoding_already_is_left_alone() -> None:
    headers, body = raw_get(gzip_responses.app, "/packed", GZIP)

    assert headers["content-encoding"] == "gzip"
    assert "vary" not in headers
    assert headers["content-length"] == str(len(body))
    assert gzip.decompress(body) == b"a" * 1000  # compressed once, not twice


def test_a_stream_is_compressed_chunk_by_chunk_without_a_content_length() -> None:
    messages = asgi_messages(gzip_responses.app, "/ticks", headers=GZIP)

    start, *bodies = messages
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert "content-length" not in headers
    # One body message per tick, each flushed so that it decodes on its own,
    # then the end of the gzip stream in the last, empty-bodied message.
    assert [m["more_body"] for m in bodies] == [True, True, True, False]
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    decoded = [decoder.decompress(m["body"]) for m in bodies]
    assert decoded == [b"tick 0\n", b"tick 1\n", b"tick 2\n", b""]
    assert decoder.eof
    # Compressed alone, each 7-byte tick comes out bigger than it went in.
    assert all(len(m["body"]) > len(b"tick 0\n") for m in bodies[:3])


def test_a_stream_not_accepting_gzip_is_not_compressed() -> None:
    headers, body = raw_get(gzip_responses.app, "/ticks", {"accept-encoding": ""})

    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    assert body == b"tick 0\ntick 1\ntick 2\n"


# --- function middleware and pure ASGI middleware -----------------------------


@pytest.mark.parametrize("example", [function_middleware, asgi_middleware])
def test_both_middlewares_add_the_header_and_pass_the_stream(example) -> None:
    response = TestClient(example.app).get("/ticks")

    assert response.status_code == 200
    assert response.text == "".join(f"tick {n}\n" for n in range(20))
    # Taken when the headers are ready: before the 20 ticks (1 s) are made.
    assert 0 <= float(response.headers["x-elapsed"]) < 0.5


@pytest.mark.parametrize("example", [function_middleware, asgi_middleware])
def test_both_middlewares_let_the_background_task_run(example) -> None:
    client = TestClient(example.app)
    response = client.post("/signup")

    assert response.json() == {"status": "signed up"}
    assert "x-elapsed" in response.headers
    assert client.get("/events").json()[-2:] == ["task started", "task done"]


def test_the_asgi_example_serves_the_same_routes() -> None:
    assert asgi_middleware.router is function_middleware.router
    assert [m.cls for m in asgi_middleware.app.user_middleware] == [
        asgi_middleware.ElapsedHeader
    ]


# --- rewriting the body -------------------------------------------------------


def test_the_mistake_keeps_the_old_content_length() -> None:
    response = TestClient(stamp_mistake.app).get("/user")

    # TestClient does not check the length; a real server does (e2e test).
    assert response.headers["content-length"] == "14"
    assert response.content == b'{"name": "Ada", "api_version": 2}'
    assert len(response.content) == 33


def test_the_mistake_leaves_other_responses_alone() -> None:
    response = TestClient(stamp_mistake.app).get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)


def test_the_fix_stamps_json_and_sets_the_new_length() -> None:
    response = TestClient(stamp_fixed.app).get("/user")

    assert response.status_code == 200
    assert response.content == b'{"name":"Ada","api_version":2}'
    assert response.headers["content-length"] == "30"


def test_the_fix_stamps_error_bodies_too() -> None:
    response = TestClient(stamp_fixed.app).get("/nowhere")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "api_version": 2}
    assert int(response.headers["content-length"]) == len(response.content)


def test_the_fix_leaves_a_body_over_the_limit_unchanged() -> None:
    response = TestClient(stamp_fixed.app).get("/names", params={"count": 20_000})

    assert len(response.content) == 120_011 > stamp_fixed.LIMIT
    assert response.headers["content-length"] == "120011"
    assert response.json() == {"names": ["Ada"] * 20_000}


def test_the_limit_is_on_the_body_the_route_sent() -> None:
    # {"names":[...]} is 11 bytes plus 6 per name: the largest count that fits.
    count = (stamp_fixed.LIMIT - 11) // 6
    client = TestClient(stamp_fixed.app)
    fits = client.get("/names", params={"count": count})
    over = client.get("/names", params={"count": count + 1})

    assert fits.json()["api_version"] == 2
    assert int(fits.headers["content-length"]) == len(fits.content)
    assert len(over.content) == 11 + 6 * (count + 1) > stamp_fixed.LIMIT
    assert "api_version" not in over.json()


def test_the_fix_passes_a_stream_through_message_by_message() -> None:
    messages = asgi_messages(stamp_fixed.app, "/feed")

    start, *bodies = messages
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"application/json"
    assert b"content-length" not in headers
    assert [m["body"] for m in bodies] == [
        b'{"tick": 0}\n',
        b'{"tick": 1}\n',
        b'{"tick": 2}\n',
        b"",
    ]


def test_the_fix_leaves_html_alone() -> None:
    response = TestClient(stamp_fixed.app).get("/docs")

    assert response.status_code == 200
    assert "api_version" not in response.text
    assert int(response.headers["content-length"]) == len(response.content)


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b"", b'"text"'])
def test_stamp_leaves_what_is_no_json_object_unchanged(body: bytes) -> None:
    assert stamp_fixed.stamp(body) == body


@pytest.mark.parametrize(
    "body", [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": 1e400}']
)
def test_stamp_leaves_a_body_with_nan_or_infinity_unchanged(body: bytes) -> None:
    # json.loads reads these (1e400 as inf); strict JSON has no such numbers,
    # so writing them back would send a body a browser's JSON.parse rejects.
    assert stamp_fixed.stamp(body) == body


def test_stamp_keeps_other_scripts_as_utf8() -> None:
    body = '{"name": "Zoë", "city": "東京"}'.encode()

    stamped = stamp_fixed.stamp(body)

    assert stamped == '{"name":"Zoë","city":"東京","api_version":2}'.encode()


def test_stamp_adds_the_field() -> None:
    assert json.loads(stamp_fixed.stamp(b'{"a": 1}')) == {"a": 1, "api_version": 2}


def order_of_start_and_first_body(
    middleware: Callable[..., Any],
    status: int,
    response_headers: dict[str, str],
    first: bytes,
    **request: Any,
) -> list[str]:
    """When the start message leaves `middleware`, relative to the moment the
    app behind it sends the first of two body pieces (`first`, then the end)."""
    order: list[str] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        raw = [(k.encode(), v.encode()) for k, v in response_headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        order.append("app sends the first body")
        await send({"type": "http.response.body", "body": first, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    asgi_messages(
        middleware(app),
        "/",
        on_message=lambda message: order.append(message["type"]),
        **request,
    )
    return order


HELD = ["app sends the first body", "http.response.start"]
NOT_HELD = HELD[::-1]
BODIES = ["http.response.body", "http.response.body"]


@pytest.mark.parametrize(
    ("status", "headers", "held"),
    [
        (200, {"content-type": "text/plain"}, True),
        (200, {"content-type": "text/plain", "content-encoding": "gzip"}, False),
        (200, {"content-type": "text/event-stream"}, False),
        (206, {"content-type": "text/plain", "content-range": "bytes 0-0/9"}, False),
    ],
)
def test_which_headers_gzip_holds_until_the_first_body(
    status: int, headers: dict[str, str], held: bool
) -> None:
    order = order_of_start_and_first_body(
        GZipMiddleware, status, headers, b"a", headers=GZIP
    )

    assert order == (HELD if held else NOT_HELD) + BODIES


# --- review fixes: what GZip and the fix leave alone ----------------------------


def file_app(directory: Path) -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=directory))

    @app.get("/download")
    def download() -> FileResponse:
        return FileResponse(directory / "big.txt")

    return app


@pytest.mark.parametrize("path", ["/static/big.txt", "/download"])
def test_gzip_never_compresses_a_206(path: str, tmp_path: Path) -> None:
    """The same file: compressed as a 200, sent as it is as a 206."""
    (tmp_path / "big.txt").write_bytes(b"a" * 5000)
    app = GZipMiddleware(file_app(tmp_path), minimum_size=500)
    whole, _ = raw_get(app, path, GZIP)
    with TestClient(app).stream(
        "GET", path, headers={**GZIP, "range": "bytes=0-999"}
    ) as response:
        assert response.status_code == 206
        body = b"".join(response.iter_raw())

    assert whole["content-encoding"] == "gzip"
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers
    assert response.headers["content-range"] == "bytes 0-999/5000"
    assert response.headers["content-length"] == "1000"
    assert body == b"a" * 1000


@pytest.mark.parametrize(
    ("accept", "compressed"),
    [
        ("gzip", True),
        ("x-gzip", True),
        ("gzip;q=0", True),
        ("GZIP", False),
        ("Gzip", False),
    ],
)
def test_gzip_looks_for_the_lowercase_letters(accept: str, compressed: bool) -> None:
    headers, body = raw_get(
        gzip_responses.app, "/text?size=600", {"accept-encoding": accept}
    )

    assert ("content-encoding" in headers) is compressed
    assert (gzip.decompress(body) if compressed else body) == b"a" * 600


@pytest.mark.parametrize(("accept", "length"), [("gzip", None), ("identity", "600")])
def test_gzip_drops_a_streams_content_length(accept: str, length: str | None) -> None:
    async def app(scope: dict, receive: object, send: object) -> None:
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"600")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"a" * 300, "more_body": True}
        )
        await send({"type": "http.response.body", "body": b"a" * 300})

    headers, body = raw_get(GZipMiddleware(app), "/", {"accept-encoding": accept})

    assert headers.get("content-length") == length
    assert (gzip.decompress(body) if accept == "gzip" else body) == b"a" * 600


def fix_with_extra_routes(directory: Path) -> FastAPI:
    app = FastAPI()
    app.add_middleware(stamp_fixed.AddApiVersion)
    app.mount("/static", StaticFiles(directory=directory))

    @app.api_route("/download", methods=["GET", "HEAD"])
    def download() -> FileResponse:
        return FileResponse(directory / "data.json")

    @app.delete("/thing", status_code=204)
    def delete() -> None:
        return None

    @app.get("/unchanged")
    def unchanged() -> Response:
        return Response(status_code=304, headers={"content-type": "application/json"})

    @app.get("/packed")
    def packed() -> Response:
        body = gzip.compress(b'{"a": 1}')
        headers = {"content-encoding": "gzip"}
        return Response(body, media_type="application/json", headers=headers)

    @app.get("/deep")
    def deep() -> Response:
        body = b'{"a":' + b"[" * 30_000 + b"]" * 30_000 + b"}"
        return Response(body, media_type="application/json")

    @app.get("/upper")
    def upper() -> Response:
        return Response(b'{"a": 1}', media_type="Application/JSON")

    return app


# A JSON file that stamping would make shorter (no spaces) despite the field.
DATA_JSON = json.dumps({"items": list(range(300))}).encode()


@pytest.fixture
def fix_client(tmp_path: Path) -> TestClient:
    (tmp_path / "data.json").write_bytes(DATA_JSON)
    return TestClient(fix_with_extra_routes(tmp_path))


def test_the_fix_adds_no_length_to_a_204_or_a_304(fix_client: TestClient) -> None:
    deleted = fix_client.delete("/thing")
    unchanged = fix_client.get("/unchanged")

    assert deleted.status_code == 204
    assert unchanged.status_code == 304
    assert "content-length" not in deleted.headers
    assert "content-length" not in unchanged.headers


@pytest.mark.parametrize("path", ["/static/data.json", "/download"])
def test_the_fix_leaves_a_json_file_as_it_is_so_get_head_and_ranges_agree(
    path: str, fix_client: TestClient
) -> None:
    whole = fix_client.get(path)
    head = fix_client.head(path)
    # A download resumed after 600 bytes, if the file is still the same.
    rest = fix_client.get(
        path, headers={"range": "bytes=600-", "if-range": whole.headers["etag"]}
    )

    assert head.status_code == 200
    assert head.headers["content-length"] == whole.headers["content-length"]
    assert rest.status_code == 206
    assert whole.content[:600] + rest.content == whole.content
    assert whole.content == DATA_JSON  # the file as it is on disk


def test_the_fix_keeps_head_of_a_json_route_equal_to_get() -> None:
    client = TestClient(stamp_fixed.app)
    get = client.get("/openapi.json")
    head = client.head("/openapi.json")

    assert "api_version" in get.json()
    assert head.headers["content-length"] == get.headers["content-length"]


def test_the_fix_leaves_compressed_json_alone(fix_client: TestClient) -> None:
    with fix_client.stream("GET", "/packed") as response:
        body = b"".join(response.iter_raw())

    assert gzip.decompress(body) == b'{"a": 1}'
    assert response.headers["content-length"] == str(len(body))


def test_the_fix_survives_deeply_nested_json(fix_client: TestClient) -> None:
    response = fix_client.get("/deep")

    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(response.content)) == "60006"


def test_the_fix_reads_the_media_type_in_any_case(fix_client: TestClient) -> None:
    response = fix_client.get("/upper")

    assert response.json() == {"a": 1, "api_version": 2}
    assert response.headers["content-length"] == "23"


def json_app() -> FastAPI:
    app = FastAPI()

    @app.get("/big")
    def big() -> dict[str, str]:
        return {"x": "a" * 600}

    return app


async def add_header(request: Request, call_next: Callable) -> Response:
    response = await call_next(request)
    response.headers["x-seen"] = "yes"
    return response


def with_gzip(app: FastAPI) -> None:
    app.add_middleware(GZipMiddleware)


def with_function_middleware(app: FastAPI) -> None:
    app.middleware("http")(add_header)


@pytest.mark.parametrize("add_other", [with_gzip, with_function_middleware])
@pytest.mark.parametrize("stamp_inside", [True, False])
def test_the_fix_must_sit_inside_gzip_and_function_middleware(
    add_other: Callable[[FastAPI], None], stamp_inside: bool
) -> None:
    app = json_app()
    if stamp_inside:  # added first: the inner one
        app.add_middleware(stamp_fixed.AddApiVersion)
        add_other(app)
    else:
        add_other(app)
        app.add_middleware(stamp_fixed.AddApiVersion)

    headers, raw = raw_get(app, "/big", GZIP)

    assert headers["content-length"] == str(len(raw))
    if add_other is with_gzip:
        assert headers["content-encoding"] == "gzip"
        raw = gzip.decompress(raw)
    else:
        assert headers["x-seen"] == "yes"
    assert ("api_version" in json.loads(raw)) is stamp_inside


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("status", "headers", "held"),
    [
        (200, JSON, True),
        (404, JSON, True),
        (200, {"content-type": "text/html; charset=utf-8"}, False),
        (200, {**JSON, "content-encoding": "gzip"}, False),
        (206, {**JSON, "content-range": "bytes 0-1/9"}, False),
        (200, {**JSON, "content-range": "bytes 0-1/9"}, False),
        (204, JSON, False),
        (304, JSON, False),
    ],
)
def test_which_starts_the_fix_holds_until_the_first_body(
    status: int, headers: dict[str, str], held: bool
) -> None:
    order = order_of_start_and_first_body(
        stamp_fixed.AddApiVersion, status, headers, b"{}"
    )

    assert order == (HELD if held else NOT_HELD) + BODIES


def mistake_with_extra_routes(made: list[str]) -> FastAPI:
    app = FastAPI()
    app.middleware("http")(stamp_mistake.add_api_version)

    @app.get("/list")
    def numbers() -> list[int]:
        return [1, 2]

    @app.get("/pieces")
    def pieces() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for chunk in (b'{"a":', b"1}"):
                made.append("chunk")
                yield chunk

        return StreamingResponse(chunks(), media_type="application/json")

    return app


def test_the_mistake_fails_on_a_json_list() -> None:
    app = mistake_with_extra_routes([])
    response = TestClient(app, raise_server_exceptions=False).get("/list")

    assert response.status_code == 500


def test_the_mistake_drains_a_json_stream_before_answering() -> None:
    order: list[str] = []
    app = mistake_with_extra_routes(order)

    bodies: list[bytes] = []

    def note(message: dict) -> None:
        order.append(message["type"])
        bodies.append(message.get("body", b""))

    asgi_messages(app, "/pieces", on_message=note)

    assert order[:3] == ["chunk", "chunk", "http.response.start"]
    assert b"".join(bodies) == b'{"a": 1, "api_version": 2}'


def test_setdefault_would_keep_the_old_length() -> None:
    """docs/reference.md: the new content-length is set by assignment, since
    `setdefault` keeps a length the start message already has."""
    start = {"type": "http.response.start", "headers": [(b"content-length", b"10")]}
    headers = MutableHeaders(scope=start)

    assert headers.setdefault("content-length", "5") == "10"
    headers["content-length"] = "5"
    assert start["headers"] == [(b"content-length", b"5")]
