"""StreamingResponse and path operations that yield (docs/streaming.md)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import AsyncIterable, Iterator
from typing import Annotated, Any

import anyio
import anyio.lowlevel
import anyio.to_thread
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from examples.streaming import (
    chunks_as_messages,
    cleanup_on_disconnect,
    media_type_header,
    text_lines_sync,
    where_generators_run,
    yield_json_lines,
    yield_raw_chunks,
)
from tests.support import Message, asgi_messages, call_asgi, scope_for, wait_until

# --- A generated text stream ------------------------------------------------


def test_text_lines_arrive_in_order_as_plain_text() -> None:
    client = TestClient(text_lines_sync.app)

    with client.stream("GET", "/lines", params={"count": 999}) as response:
        lines = list(response.iter_lines())

    assert response.status_code == 200
    assert lines == [f"line {n}" for n in range(1, 1000)]
    assert set(response.headers) == {"content-type"}  # no content-length
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_each_line_is_its_own_chunk_on_the_wire() -> None:
    messages = asgi_messages(text_lines_sync.app, "/lines")

    assert messages[0]["type"] == "http.response.start"
    assert [m["body"] for m in messages[1:]] == [
        b"line 1\n",
        b"line 2\n",
        b"line 3\n",
        b"line 4\n",
        b"line 5\n",
        b"",
    ]


def test_client_receives_chunks_while_the_generator_is_still_running() -> None:
    produced: list[int] = []

    def counting_lines() -> Iterator[str]:
        for number in range(1, 4):
            produced.append(number)
            yield f"line {number}\n"

    app = FastAPI()

    @app.get("/lines")
    def lines() -> StreamingResponse:
        return StreamingResponse(counting_lines(), media_type="text/plain")

    with TestClient(app).stream("GET", "/lines") as response:
        lines = response.iter_lines()
        assert next(lines) == "line 1"
        assert produced != [1, 2, 3]  # the rest is not produced yet
        rest = list(lines)

    assert rest == ["line 2", "line 3"]
    assert produced == [1, 2, 3]


# --- Sync and async generators ----------------------------------------------


def test_sync_generator_runs_in_a_worker_thread_async_on_the_loop() -> None:
    client = TestClient(where_generators_run.app)

    assert client.get("/sync").text.splitlines() == [
        "sync 0: worker thread",
        "sync 1: worker thread",
    ]
    assert client.get("/async").text.splitlines() == [
        "async 0: event loop thread",
        "async 1: event loop thread",
    ]
    assert client.get("/blocking").text.splitlines() == [
        "blocking 0: event loop thread",
        "blocking 1: event loop thread",
    ]


def test_worker_threads_are_anyio_s_pool_of_40() -> None:
    names: list[str] = []

    def chunks() -> Iterator[str]:
        names.append(threading.current_thread().name)
        yield "x"

    app = FastAPI()

    @app.get("/")
    async def stream() -> StreamingResponse:
        return StreamingResponse(chunks())

    async def main() -> tuple[float, list[Message]]:
        limit = anyio.to_thread.current_default_thread_limiter().total_tokens
        return limit, await call_asgi(app, "/")

    limit, _ = anyio.run(main)

    assert limit == 40
    assert names == ["AnyIO worker thread"]


def longest_pause_and_threads(app: Any, path: str) -> tuple[float, int]:
    """Stream `path` while a heartbeat task ticks on the same event loop.

    Return the longest gap between two ticks (how long the loop was frozen)
    and the most worker threads seen in use at once.
    """
    gaps: list[float] = []
    threads_in_use: list[float] = [0]

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        done = anyio.Event()

        async def heartbeat() -> None:
            last = time.monotonic()
            while not done.is_set():
                await anyio.sleep(0.002)
                now = time.monotonic()
                gaps.append(now - last)
                threads_in_use.append(limiter.borrowed_tokens)
                last = now

        async with anyio.create_task_group() as tg:
            tg.start_soon(heartbeat)
            await call_asgi(app, path)
            done.set()

    anyio.run(main)
    return max(gaps), int(max(threads_in_use))


@pytest.fixture
def slow_chunks(monkeypatch: pytest.MonkeyPatch) -> float:
    delay = 0.1
    monkeypatch.setattr(where_generators_run, "DELAY", delay)
    return delay


def test_blocking_sleep_in_a_sync_generator_holds_a_thread_not_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/sync")

    assert pause < slow_chunks / 2
    assert threads == 1


def test_awaited_sleep_in_an_async_generator_frees_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/async")

    assert pause < slow_chunks / 2
    assert threads == 0


def test_blocking_sleep_in_an_async_generator_freezes_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/blocking")

    assert pause >= slow_chunks * 0.9
    assert threads == 0


# --- Chunks -----------------------------------------------------------------


def test_one_asgi_message_per_yield_then_an_empty_last_one() -> None:
    messages = asgi_messages(chunks_as_messages.app, "/chunks")

    assert [m["type"] for m in messages] == [
        "http.response.start",
        *["http.response.body"] * 5,
    ]
    assert [(m["body"], m["more_body"]) for m in messages[1:]] == [
        (b"short\n", True),
        (b"a much longer chunk of text\n", True),
        (b"raw bytes\n", True),
        ("café\n".encode(), True),
        (b"", False),
    ]


def test_testclient_iter_raw_sees_the_same_chunks() -> None:
    with TestClient(chunks_as_messages.app).stream("GET", "/chunks") as response:
        chunks = list(response.iter_raw())

    assert chunks == [
        b"short\n",
        b"a much longer chunk of text\n",
        b"raw bytes\n",
        b"caf\xc3\xa9\n",
    ]


def test_str_chunks_use_the_response_charset() -> None:
    class Latin1Stream(StreamingResponse):
        charset = "latin-1"

    app = FastAPI()

    @app.get("/")
    def stream() -> StreamingResponse:
        return Latin1Stream(iter(["café"]), media_type="text/plain")

    response = TestClient(app).get("/")

    assert response.content == b"caf\xe9"
    assert response.headers["content-type"] == "text/plain; charset=latin-1"


# --- media_type -------------------------------------------------------------


def test_media_type_sets_content_type_with_charset() -> None:
    response = TestClient(media_type_header.app).get("/with-media-type")

    assert set(response.headers) == {"content-type"}
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "name,price\nPen,1.5\n"


def test_without_media_type_there_is_no_content_type_at_all() -> None:
    response = TestClient(media_type_header.app).get("/without-media-type")

    assert set(response.headers) == set()
    assert response.text == "name,price\nPen,1.5\n"


# --- Path operations that yield ---------------------------------------------


def test_yield_with_streaming_response_class_sends_raw_chunks_untyped() -> None:
    client = TestClient(yield_raw_chunks.app)

    raw = client.get("/raw")
    assert set(raw.headers) == set()
    assert raw.text == "line 1\nline 2\nline 3\n"

    messages = asgi_messages(yield_raw_chunks.app, "/raw")
    assert [m["body"] for m in messages[1:]] == [
        b"line 1\n",
        b"line 2\n",
        b"line 3\n",
        b"",
    ]


def test_a_streaming_response_subclass_brings_its_media_type() -> None:
    response = TestClient(yield_raw_chunks.app).get("/text")

    assert set(response.headers) == {"content-type"}
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "line 1\nline 2\nline 3\n"


def test_yield_without_response_class_streams_json_lines() -> None:
    with TestClient(yield_json_lines.app).stream("GET", "/items") as response:
        assert set(response.headers) == {"content-type"}
        assert response.headers["content-type"] == "application/jsonl"
        body = response.read()

    assert body == b'{"name":"Pen","price":1.5}\n{"name":"Notebook","price":4.0}\n'
    messages = asgi_messages(yield_json_lines.app, "/items")
    assert [m["body"] for m in messages[1:]] == [
        b'{"name":"Pen","price":1.5}\n',
        b'{"name":"Notebook","price":4.0}\n',
        b"",
    ]


def test_json_lines_items_are_validated_against_the_item_type() -> None:
    app = FastAPI()

    @app.get("/items")
    async def items() -> AsyncIterable[yield_json_lines.Item]:
        yield {"name": "Pen", "price": 1.5, "supplier_id": 17}

    assert TestClient(app).get("/items").text == '{"name":"Pen","price":1.5}\n'


def test_untyped_json_lines_go_through_json_dumps() -> None:
    app = FastAPI()

    @app.get("/items")
    def items():  # no return type
        yield {"name": "Pen", "price": 1.5}
        yield "plain string"

    response = TestClient(app).get("/items")

    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == '{"name": "Pen", "price": 1.5}\n"plain string"\n'


def test_a_sync_path_operation_that_yields_runs_in_a_worker_thread() -> None:
    app = FastAPI()

    @app.get("/raw", response_class=StreamingResponse)
    def raw() -> Iterator[str]:
        yield threading.current_thread().name

    @app.get("/jsonl")
    def jsonl() -> Iterator[str]:
        yield threading.current_thread().name

    client = TestClient(app)
    assert client.get("/raw").text == "AnyIO worker thread"
    assert client.get("/jsonl").text == '"AnyIO worker thread"\n'


# --- When the client goes away ----------------------------------------------


@pytest.fixture
def events() -> Iterator[list[str]]:
    cleanup_on_disconnect.events.clear()
    yield cleanup_on_disconnect.events
    cleanup_on_disconnect.events.clear()


def async_report_app() -> FastAPI:
    """The same report, with an async generator."""
    app = FastAPI()

    async def report_lines(name: str) -> AsyncIterable[str]:
        try:
            for number in range(1, 1000):
                yield f"{name} line {number}\n"
        finally:
            cleanup_on_disconnect.events.append("generator finished")

    @app.get("/report")
    async def stream_report(
        name: Annotated[str, Depends(cleanup_on_disconnect.report_file)],
    ) -> StreamingResponse:
        return StreamingResponse(report_lines(name), media_type="text/plain")

    return app


APPS = {"sync": cleanup_on_disconnect.app, "async": async_report_app()}


def read_one_line(client: TestClient) -> str:
    with client.stream("GET", "/report") as response:
        return next(response.iter_lines())


def test_a_finished_stream_closes_generator_then_dependency(
    events: list[str],
) -> None:
    for app in APPS.values():
        events.clear()
        response = TestClient(app).get("/report")
        assert response.text.count("\n") == 999
        assert events == ["resource opened", "generator finished", "resource closed"]


@pytest.mark.parametrize("kind", APPS)
def test_dependency_with_yield_cleans_up_as_soon_as_the_client_leaves(
    kind: str, events: list[str]
) -> None:
    gc.disable()  # so only the disconnect, not a chance collection, runs code
    try:
        with TestClient(APPS[kind]) as client:
            assert read_one_line(client) == "report.csv line 1"
            assert events == ["resource opened", "resource closed"]
    finally:
        gc.enable()


@pytest.mark.parametrize("kind", APPS)
def test_generator_finally_waits_for_garbage_collection(
    kind: str, events: list[str]
) -> None:
    gc.disable()
    try:
        with TestClient(APPS[kind]) as client:
            read_one_line(client)
            time.sleep(0.05)
            assert "generator finished" not in events

            gc.collect()  # an async generator is then closed on the event loop
            assert wait_until(lambda: "generator finished" in events, 2) is not None
    finally:
        gc.enable()


@pytest.mark.parametrize("kind", APPS)
def test_a_short_lived_testclient_closes_the_generator_with_its_loop(
    kind: str, events: list[str]
) -> None:
    gc.disable()
    try:
        assert read_one_line(TestClient(APPS[kind])) == "report.csv line 1"
        assert events == ["resource opened", "resource closed", "generator finished"]
    finally:
        gc.enable()


def test_leaving_the_stream_stops_pulling_from_the_generator() -> None:
    produced: list[int] = []

    def endless_lines() -> Iterator[str]:
        while True:
            produced.append(len(produced) + 1)
            yield f"line {produced[-1]}\n"

    app = FastAPI()

    @app.get("/lines")
    def lines() -> StreamingResponse:
        return StreamingResponse(endless_lines(), media_type="text/plain")

    with TestClient(app) as client:
        with client.stream("GET", "/lines") as response:
            assert next(response.iter_lines()) == "line 1"
        count = len(produced)
        time.sleep(0.1)

        assert len(produced) == count


def test_big_chunks_stay_whole() -> None:
    block = b"x" * 64 * 1024
    app = FastAPI()

    @app.get("/")
    def stream() -> StreamingResponse:
        return StreamingResponse(iter([block, block]))

    messages = asgi_messages(app, "/")

    assert [len(m["body"]) for m in messages[1:]] == [64 * 1024, 64 * 1024, 0]


# --- How Starlette learns of a disconnect -------------------------------------


def endless_app() -> FastAPI:
    app = FastAPI()

    def endless() -> Iterator[str]:
        while True:
            yield "x"

    @app.get("/")
    async def stream() -> StreamingResponse:
        return StreamingResponse(endless(), media_type="text/plain")

    return app


def test_without_spec_2_4_a_streaming_response_listens_for_http_disconnect() -> None:
    received: list[str] = []

    async def main() -> None:
        async def receive() -> Message:
            received.append("receive")
            if len(received) == 1:
                return {"type": "http.request", "body": b"", "more_body": False}
            await anyio.sleep(0.05)
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            await anyio.lowlevel.checkpoint()

        with anyio.fail_after(2):  # stops, though the generator never ends
            await endless_app()(scope_for("/", spec_version=None), receive, send)

    anyio.run(main)

    assert len(received) == 2


def test_with_spec_2_4_a_failed_send_becomes_client_disconnect() -> None:
    from starlette.requests import ClientDisconnect

    received: list[str] = []
    sent: list[Message] = []

    async def main() -> None:
        async def receive() -> Message:
            received.append("receive")
            raise AssertionError("receive is not called")

        async def send(message: Message) -> None:
            sent.append(message)
            if len(sent) == 3:
                raise OSError("connection lost")

        scope = scope_for("/", spec_version="2.4")
        await endless_app()(scope, receive, send)

    with pytest.raises(ClientDisconnect):
        anyio.run(main)

    assert received == []
    assert len(sent) == 3
