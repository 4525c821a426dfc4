"""Behaviour of the examples on docs/security.md: each attack succeeds against the
Mistake and fails against the fix."""

from __future__ import annotations

import re
from types import ModuleType
from urllib.parse import unquote

import anyio
import pytest
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.testclient import TestClient
from starlette.responses import StreamingResponse

from examples.security import (
    download_name,
    download_name_fixed,
    security_headers,
    uploads_inline,
    uploads_safe,
)
from tests.support import call_asgi

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(client: TestClient, body: bytes, media_type: str) -> str:
    response = client.post(
        "/uploads", content=body, headers={"content-type": media_type}
    )
    assert response.status_code == 201
    return response.json()["id"]


@pytest.mark.parametrize("media_type", ["image/svg+xml", "text/html"])
def test_the_mistake_serves_a_script_inline_with_the_senders_type(
    media_type: str,
) -> None:
    client = TestClient(uploads_inline.app)
    response = client.get(f"/uploads/{upload(client, SVG, media_type)}")

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "content-disposition" not in response.headers
    assert "x-content-type-options" not in response.headers
    assert "content-security-policy" not in response.headers
    assert response.content == SVG


@pytest.mark.parametrize("media_type", ["image/svg+xml", "text/html"])
def test_the_fix_serves_the_same_bytes_as_a_sandboxed_download(media_type: str) -> None:
    client = TestClient(uploads_safe.app)
    response = client.get(f"/uploads/{upload(client, SVG, media_type)}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="upload.bin"'
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.content == SVG


@pytest.mark.parametrize("module", [uploads_inline, uploads_safe])
def test_uploads_are_bounded_and_named_by_the_server(module: ModuleType) -> None:
    client = TestClient(module.app)
    limit = module.MAX_BYTES

    at_limit = client.post("/uploads", content=b"x" * limit)
    too_big = client.post("/uploads", content=b"x" * (limit + 1))
    missing = client.get("/uploads/%2E%2E")  # the id ".."

    assert at_limit.status_code == 201
    assert at_limit.json()["id"] in module.uploads
    assert too_big.status_code == 413
    assert too_big.json() == {"detail": "Upload too large"}
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such upload"}


@pytest.mark.parametrize("module", [uploads_inline, uploads_safe])
def test_the_oldest_upload_makes_room(module: ModuleType) -> None:
    client = TestClient(module.app)
    uploads = module.uploads
    uploads.clear()
    ids = [upload(client, b"%d" % n, "text/plain") for n in range(module.MAX_FILES + 1)]

    assert len(uploads) == module.MAX_FILES
    assert ids[0] not in uploads
    assert client.get(f"/uploads/{ids[0]}").status_code == 404
    assert client.get(f"/uploads/{ids[-1]}").content == b"%d" % module.MAX_FILES


INJECTED = "x\"; filename*=utf-8''evil.exe; a=\""
CRLF = "a\r\nX-Evil: 1"


def test_the_mistake_lets_a_name_add_attributes_and_a_cjk_name_fails() -> None:
    client = TestClient(download_name.app, raise_server_exceptions=False)

    injected = client.get("/export", params={"name": INJECTED})
    cjk = client.get("/export", params={"name": "名簿.csv"})
    crlf = client.get("/export", params={"name": CRLF})

    # a filename*= of the sender's, which browsers prefer (tests/e2e/test_security_browser.py)
    assert injected.headers["content-disposition"] == (
        'attachment; filename="x"; filename*=utf-8\'\'evil.exe; a=""'
    )
    assert cjk.status_code == 500  # UnicodeEncodeError: headers are latin-1
    assert cjk.text == "Internal Server Error"
    # TestClient hands CR/LF through in one header; a real uvicorn does not
    # (tests/e2e/test_security_real.py)
    assert crlf.status_code == 200
    assert crlf.headers["content-disposition"] == f'attachment; filename="{CRLF}"'
    assert "x-evil" not in crlf.headers


def test_the_mistakes_cjk_name_raises_unicode_encode_error() -> None:
    client = TestClient(download_name.app)

    with pytest.raises(UnicodeEncodeError, match="latin-1"):
        client.get("/export", params={"name": "名簿.csv"})


def test_testclient_cannot_read_the_mistakes_latin_1_name() -> None:
    """café.csv goes out as a raw latin-1 byte (a real uvicorn answers 200:
    tests/e2e/test_security_real.py); TestClient fails to decode it as UTF-8."""
    client = TestClient(download_name.app)

    with pytest.raises(UnicodeDecodeError, match="utf-8"):
        client.get("/export", params={"name": "café.csv"})


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("report.csv", "report.csv"),
        (INJECTED, INJECTED + ".csv"),
        ("名簿.csv", "名簿.csv"),
        ("café.csv", "café.csv"),
        (CRLF, CRLF + ".csv"),
        ("../../etc/passwd", "../../etc/passwd.csv"),
        ("report.csv.exe", "report.csv.exe.csv"),
        (".csv", ".csv"),
    ],
)
def test_the_fix_percent_encodes_any_name_and_keeps_the_extension(
    name: str, saved: str
) -> None:
    response = TestClient(download_name_fixed.app).get("/export", params={"name": name})
    header = response.headers["content-disposition"]
    prefix = "attachment; filename=\"export.csv\"; filename*=utf-8''"

    assert response.status_code == 200
    assert header.startswith(prefix)
    encoded = header.removeprefix(prefix)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", encoded)
    assert unquote(encoded) == saved
    assert response.text == "id,total\n1,20\n"


def test_the_fix_refuses_an_empty_name() -> None:
    response = TestClient(download_name_fixed.app).get("/export", params={"name": ""})

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_short"


def test_the_fallback_is_the_callers() -> None:
    header = download_name_fixed.as_attachment("名簿.csv", "names.csv")

    assert header == (
        "attachment; filename=\"names.csv\"; filename*=utf-8''%E5%90%8D%E7%B0%BF.csv"
    )


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}


def security_headers_of(response) -> dict[str, str]:
    return {
        name: response.headers[name]
        for name in SECURITY_HEADERS
        if name in response.headers
    }


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/items/1", 200),  # a route's answer
        ("GET", "/items/2", 404),  # an HTTPException
        ("GET", "/items/x", 422),  # a validation error
        ("GET", "/nowhere", 404),  # the router: no route
        ("POST", "/items/1", 405),  # the router: no such method
        ("GET", "/admin/ping", 200),  # the mounted app's route
        ("GET", "/admin/nowhere", 404),  # the mounted app's router
        ("GET", "/docs", 200),  # FastAPI's own pages
    ],
)
def test_every_answer_inside_the_app_gets_the_headers(
    method: str, path: str, status: int
) -> None:
    response = TestClient(security_headers.app).request(method, path)

    assert response.status_code == status
    assert security_headers_of(response) == SECURITY_HEADERS
    # each header once: setdefault adds, never duplicates
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_list(name)) == 1


def test_the_docs_page_gets_a_policy_that_refuses_its_cdn_script() -> None:
    response = TestClient(security_headers.app).get("/docs")

    assert response.status_code == 200
    assert '<script src="https://cdn.jsdelivr.net/' in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    off = TestClient(FastAPI(docs_url=None, redoc_url=None))
    assert off.get("/docs").status_code == 404
    assert off.get("/redoc").status_code == 404
    assert TestClient(security_headers.app).get("/redoc").status_code == 200


def test_a_header_the_route_sets_is_kept() -> None:
    response = TestClient(security_headers.app).get("/page")

    assert response.status_code == 200
    assert response.headers.get_list("content-security-policy") == [
        "default-src 'self'; frame-ancestors 'none'"
    ]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def app_that_fails(handler=None) -> FastAPI:
    """The example's middleware on an app whose route raises, with `handler`
    (if any) registered for Exception."""
    app = FastAPI()
    app.add_middleware(security_headers.SecurityHeaders)
    if handler is not None:
        app.add_exception_handler(Exception, handler)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    return app


async def plain_handler(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


def test_an_unhandled_500_gets_no_security_headers() -> None:
    client = TestClient(app_that_fails(), raise_server_exceptions=False)
    response = client.get("/boom")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert security_headers_of(response) == {}


def test_a_500_from_a_handler_for_exception_skips_the_middleware() -> None:
    client = TestClient(app_that_fails(plain_handler), raise_server_exceptions=False)
    response = client.get("/boom")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert security_headers_of(response) == {}


def test_the_examples_handler_for_exception_adds_the_headers_itself() -> None:
    client = TestClient(
        app_that_fails(security_headers.server_error), raise_server_exceptions=False
    )
    response = client.get("/boom")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert security_headers_of(response) == SECURITY_HEADERS


def test_the_examples_app_has_that_handler() -> None:
    handlers = security_headers.app.exception_handlers

    assert handlers[Exception] is security_headers.server_error


def test_http_middleware_has_the_same_gap() -> None:
    app = app_that_fails(plain_handler)
    app.user_middleware.clear()

    @app.middleware("http")
    async def add_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/ok", response_class=PlainTextResponse)
    def ok() -> str:
        return "ok"

    client = TestClient(app, raise_server_exceptions=False)

    assert security_headers_of(client.get("/ok")) == SECURITY_HEADERS
    failed = client.get("/boom")
    assert failed.status_code == 500
    assert security_headers_of(failed) == {}


def test_the_middleware_changes_only_the_start_message() -> None:
    def stream() -> StreamingResponse:
        return StreamingResponse(iter([b"first", b"second"]), media_type="text/plain")

    messages = anyio.run(call_asgi, security_headers.SecurityHeaders(stream()), "/")
    plain = anyio.run(call_asgi, stream(), "/")

    start, *body = messages
    assert body == plain[1:]  # every body message as the app sent it
    assert [m["body"] for m in body] == [b"first", b"second", b""]
    added = start["headers"][len(plain[0]["headers"]) :]
    assert added == [
        (name.lower().encode(), value.encode())
        for name, value in security_headers.SECURITY_HEADERS.items()
    ]


def test_other_scopes_pass_through() -> None:
    app = FastAPI()
    app.add_middleware(security_headers.SecurityHeaders)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    # lifespan and a websocket pass through
    with TestClient(app) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "hi"
    with TestClient(security_headers.app) as client:
        assert client.get("/items/1").json() == {"id": 1}


def test_a_mounted_apps_unhandled_500_passes_through_the_middleware() -> None:
    """A mounted FastAPI app has a ServerErrorMiddleware of its own: its 500 is
    written inside the outer app's SecurityHeaders, by its own default
    handler, not by the outer app's handler for Exception."""
    app = app_that_fails(security_headers.server_error)
    admin = FastAPI()

    @admin.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    app.mount("/admin", admin)
    response = TestClient(app, raise_server_exceptions=False).get("/admin/boom")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"  # admin's, not server_error's JSON
    assert security_headers_of(response) == SECURITY_HEADERS


async def no_headers(scope, receive, send) -> None:
    """A raw ASGI app whose start message leaves out "headers", as ASGI allows."""
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_start_message_without_headers_gets_them() -> None:
    app = security_headers.SecurityHeaders(no_headers)
    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert response.text == "ok"
    assert security_headers_of(response) == SECURITY_HEADERS


@pytest.mark.parametrize("outermost", [True, False], ids=["added-last", "added-first"])
def test_only_middleware_added_last_sees_a_cors_preflight(outermost: bool) -> None:
    """CORSMiddleware answers a preflight itself: SecurityHeaders sees it only if
    it wraps CORSMiddleware, i.e. it was added after it."""
    from starlette.middleware.cors import CORSMiddleware

    app = FastAPI()
    cors = {"allow_origins": ["https://front.example"], "allow_methods": ["GET"]}
    if outermost:
        app.add_middleware(CORSMiddleware, **cors)
        app.add_middleware(security_headers.SecurityHeaders)
    else:
        app.add_middleware(security_headers.SecurityHeaders)
        app.add_middleware(CORSMiddleware, **cors)

    @app.get("/items")
    def items() -> list[int]:
        return [1]

    response = TestClient(app).options(
        "/items",
        headers={
            "origin": "https://front.example",
            "access-control-request-method": "GET",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://front.example"
    assert security_headers_of(response) == (SECURITY_HEADERS if outermost else {})


def test_debug_mode_writes_its_500_without_the_handler() -> None:
    app = app_that_fails(security_headers.server_error)
    app.debug = True
    response = TestClient(app, raise_server_exceptions=False).get("/boom")

    assert response.status_code == 500
    assert "Traceback" in response.text
    assert security_headers_of(response) == {}


async def failing_handler(request: Request, exc: Exception) -> JSONResponse:
    raise RuntimeError("the handler's own bug")


def test_a_handler_for_exception_that_raises_leaves_a_bare_500() -> None:
    client = TestClient(app_that_fails(failing_handler), raise_server_exceptions=False)
    response = client.get("/boom")

    assert response.status_code == 500
    assert security_headers_of(response) == {}
