"""Every example of every page answers hostile input with a 2xx, 3xx or 4xx and a
bounded body, except the routes tests/hostile.py lists as failing on purpose.

The page-specific hostile cases (a path outside the served folder, and so on)
stay in each page's own test modules.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from examples.after_the_response import lost_tasks, task_raises, yield_mistakes
from examples.background_tasks import temp_file_mistake
from examples.common_mistakes import (
    catch_all_hides_bugs,
    error_with_status_200,
    jsonresponse_leaks_secret,
    large_file_read_into_memory,
    leaks_error_text,
    middleware_raises_410,
    raw_bytes_from_json_route,
    stream_without_media_type,
)
from examples.cookies import attribute_injection, lost_cookie, readable_session
from examples.custom_response_class import csv_mistake
from examples.default_response_class import orjson_default
from examples.files import compressed_export, missing_file, text_file_charset
from examples.handling_errors import (
    catch_all,
    cors_on_errors,
    default_422,
    middleware_raises,
)
from examples.html_and_text import not_a_string
from examples.json_response import encode_first, model_bypass, not_a_number
from examples.middleware import stamp_mistake
from examples.raising_errors import handler_misses_404
from examples.redirects import open_redirect, post_then_307, trusted_host
from examples.response_already_started import fails_mid_stream, feed_cut_off
from examples.security import download_name, uploads_inline
from examples.server_sent_events import fast_producer
from examples.status_codes import (
    json_no_content,
    reset_on_decorator,
    returned_status_wins,
)
from examples.templates import escaping_off, profile_link, script_data
from tests.hostile import (
    BODIES,
    FAILS_ON_PURPOSE,
    HEADERS,
    MAX_BODY,
    BoundedTestClient,
    failing_routes,
    failures,
    is_mistake,
    page_examples,
    routes_of,
)

ROOT = Path(__file__).resolve().parent.parent
# Every folder under examples/ holds one page's examples.
PAGES = sorted(path.parent.name for path in (ROOT / "examples").glob("*/__init__.py"))
EXAMPLES = [
    pytest.param(module, id=f"{page}/{module.__name__.rsplit('.', 1)[1]}")
    for page in PAGES
    for module in page_examples(page)
]
# Examples the pages show as a mistake; their docstring starts "Mistake:".
MISTAKES = {
    attribute_injection,
    catch_all,
    catch_all_hides_bugs,
    compressed_export,
    cors_on_errors,
    csv_mistake,
    default_422,
    download_name,
    encode_first,
    error_with_status_200,
    escaping_off,
    fails_mid_stream,
    fast_producer,
    feed_cut_off,
    handler_misses_404,
    json_no_content,
    jsonresponse_leaks_secret,
    large_file_read_into_memory,
    leaks_error_text,
    lost_cookie,
    lost_tasks,
    middleware_raises,
    middleware_raises_410,
    missing_file,
    model_bypass,
    not_a_number,
    not_a_string,
    open_redirect,
    orjson_default,
    post_then_307,
    profile_link,
    raw_bytes_from_json_route,
    readable_session,
    reset_on_decorator,
    returned_status_wins,
    script_data,
    stamp_mistake,
    stream_without_media_type,
    task_raises,
    temp_file_mistake,
    text_file_charset,
    uploads_inline,
    yield_mistakes,
}


def test_every_page_with_examples_is_checked() -> None:
    pages = {path.stem for path in (ROOT / "docs").glob("*.md")}
    # A folder counts once it holds Python files (a renamed one can leave __pycache__).
    folders = {path.parent.name for path in (ROOT / "examples").glob("*/*.py")}

    assert set(PAGES) == folders
    assert set(PAGES) <= pages
    assert all(page_examples(page) for page in PAGES)
    assert len(EXAMPLES) == len({param.values[0] for param in EXAMPLES})


def test_only_mistakes_fail_on_purpose() -> None:
    checked = {param.values[0] for param in EXAMPLES}

    assert set(FAILS_ON_PURPOSE) <= MISTAKES <= checked


# Examples that answer only some hosts: the URL their hostile requests go to.
BASE_URLS = {trusted_host: "http://127.0.0.1:8000"}
# Over 3 s each: an app whose streams are slow on purpose.
SLOW = {"performance/streaming_variants"}


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(*p.values, id=p.id, marks=pytest.mark.slow if p.id in SLOW else ())
        for p in EXAMPLES
    ],
)
def test_hostile_input_gets_2xx_to_4xx_and_a_bounded_body(module: ModuleType) -> None:
    expected = FAILS_ON_PURPOSE.get(module, set())
    base_url = BASE_URLS.get(module, "http://testserver")

    with BoundedTestClient(module.app, base_url) as client:  # runs the lifespan
        found = failures(module.app, client)

    assert routes_of(module.app, found) == expected, [str(f) for f in found]
    # Not stopped at the door: some request got past middleware such as
    # TrustedHostMiddleware (which answers 400 to a Host it does not list).
    assert set(client.statuses) != {400}, client.statuses


@pytest.mark.parametrize("module", EXAMPLES)
def test_an_example_shown_as_a_mistake_says_so(module: ModuleType) -> None:
    assert is_mistake(module) == (module in MISTAKES)


# --- what tests/hostile.py sends, and how much it reads ------------------------


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

    @app.get("/cookies")
    def cookies(request: Request) -> dict[str, int]:
        if len(request.cookies) > 500 or len(request.cookies.get("session", "")) > 4000:
            raise RuntimeError("a cookie header this big")
        return {"cookies": len(request.cookies)}

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
    assert ("GET", "/cookies", ("Cookie",)) in asked
    assert {method for method, path, _ in asked if path == "/only-get"} == {
        "HEAD",
        "DELETE",
    }
    assert failing_routes(trap_app()) == {
        "/files/{name:path}",
        "/events",
        "/cookies",
        "/only-get",
    }


def test_every_odd_body_reaches_a_route_that_takes_a_body() -> None:
    # default_422 echoes what it cannot validate, so each odd body makes it
    # fail: a body left out of the loop would be missing here.
    found = failures(default_422.app)

    assert {f.sent for f in found} == {name for name, _, _ in BODIES}


def endless_app(chunks: list[int]) -> FastAPI:
    """Streams that never end; `chunks` counts what each request's stream yielded."""
    app = FastAPI()

    @app.get("/endless", response_class=StreamingResponse)
    async def endless():  # type: ignore[no-untyped-def]
        chunks.append(1)
        yield b"x" * (MAX_BODY + 1)  # one chunk over the bound, then forever more
        while True:
            yield b"x"
            chunks[-1] += 1

    @app.get("/endless-trickle", response_class=StreamingResponse)
    async def endless_trickle():  # type: ignore[no-untyped-def]
        chunks.append(0)
        while True:
            yield b"x"
            chunks[-1] += 1

    return app


def test_an_endless_stream_is_read_only_up_to_the_bound() -> None:
    chunks: list[int] = []

    found = failures(endless_app(chunks))

    # Every request ended (or this test would not): the first stream after the
    # chunk that passes MAX_BODY, the trickle after STREAM_SECONDS.
    assert len(chunks) == 2 * len(HEADERS)  # GET only: other methods get a 405
    assert {f.path for f in found} == {"/endless"}
    assert {f.body_length for f in found} == {MAX_BODY + 1}
    assert len(found) == len(HEADERS)


def test_an_error_after_the_first_byte_counts_as_a_500() -> None:
    app = FastAPI()

    @app.get("/rows", response_class=StreamingResponse)
    async def rows(request: Request):  # type: ignore[no-untyped-def]
        yield b"first row\n"
        int(request.headers.get("if-none-match", "0"))  # breaks on an odd header
        yield b"second row\n"

    found = failures(app)

    # The answer began with a 200, but a real server cuts it short.
    assert {f.headers["If-None-Match"] for f in found} == {"*", '"', "W/", ",,," * 1000}
    assert {(f.status, f.body_length) for f in found} == {(500, len(b"first row\n"))}


def test_hostile_requests_reach_the_routes_behind_trusted_host_middleware() -> None:
    with BoundedTestClient(trusted_host.app, BASE_URLS[trusted_host]) as client:
        found = failures(trusted_host.app, client)

    assert found == []
    # /guide/v2 answered (TestClient follows /latest's 307 there) and odd
    # methods got 405: the Host passed the middleware. Under the default
    # http://testserver every one of them is a 400.
    assert set(client.statuses) == {200, 405}
