"""What runs when a client leaves a stream, under TestClient, and how Starlette
learns that it left (docs/streaming.md). The real-server side is in
tests/e2e/test_disconnect_real.py."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import AsyncIterable, Iterator
from typing import Annotated

import anyio
import anyio.lowlevel
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from examples.streaming import cleanup_on_disconnect
from tests.e2e.apps import cleanup_observed
from tests.support import Message, scope_for
from tools.waiting import wait_until

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
            # at once: on a loaded machine, a moment after client.stream() returns
            assert wait_until(lambda: "resource closed" in events, 1) is not None
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
    gc.disable()  # so a collection cannot be what closes the generator
    try:
        at_once = []
        for _ in range(5):
            events.clear()
            assert read_one_line(TestClient(APPS[kind])) == "report.csv line 1"
            # the dependency's finally: as client.stream() ends (moments later
            # at most, on a loaded machine)
            assert wait_until(lambda: "resource closed" in events, 2) is not None
            closed = wait_until(lambda: "generator finished" in events, 1) is not None
            at_once.append(closed)
            # Now and then (seen once in CI, on a loaded machine) the shutdown
            # finds a sync generator's worker thread mid-step; then a reference
            # cycle keeps it until the garbage collector frees it.
            gc.collect()
            # in either order: the page's row says "both" and no more
            assert sorted(events) == [
                "generator finished",
                "resource closed",
                "resource opened",
            ]
        assert at_once.count(True) >= 3, at_once
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


# --- The table on the page, TestClient rows ----------------------------------
# docs/streaming.md has one table: what runs when a client leaves, for uvicorn,
# `with TestClient(app)` and a bare `TestClient(app)`, with an async and a sync
# generator, under StreamingResponse and EventSourceResponse. The rows below
# use the app the uvicorn row's tests use (tests/e2e/test_disconnect_real.py).


@pytest.fixture
def observed(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, float]]:
    monkeypatch.setattr(cleanup_observed, "PAUSE", 0.001)
    cleanup_observed.CLEANUPS.clear()
    gc.disable()  # so only the disconnect, not a chance collection, runs code
    try:
        yield cleanup_observed.CLEANUPS.setdefault("c", {})
    finally:
        gc.enable()
        cleanup_observed.CLEANUPS.clear()


@pytest.mark.parametrize("response", ["sse", "stream"])
@pytest.mark.parametrize("generator", ["async", "sync"])
@pytest.mark.parametrize("testclient", ["with", "bare"])
def test_testclient_rows_of_the_disconnect_table(
    observed: dict[str, float],
    response: str,
    generator: str,
    testclient: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if generator == "async":
        # The table's column is an async generator *waiting in an await* when
        # the client leaves. With a short pause it is more often paused at its
        # `yield` while TestClient holds the chunk, and then nothing cancels it:
        # on Python 3.11 one leave in a few hundred left it to the garbage
        # collector. A long pause keeps it in the await the row is about.
        monkeypatch.setattr(cleanup_observed, "PAUSE", 2.0)
    client = TestClient(cleanup_observed.app)
    with contextlib.ExitStack() as stack:
        if testclient == "with":
            stack.enter_context(client)  # one event loop for every request
        path = f"/{response}/{generator}"
        with client.stream("GET", path, params={"client": "c"}) as stream:
            assert next(stream.iter_lines()) in {"data: 1", "line 1"}
        time.sleep(0.1)
        ran_soon = set(observed)

        # Every row: the dependency's finally at once. Usually it has run when
        # client.stream() returns; on a loaded machine the cancellation (or,
        # bare, the loop's shutdown) can finish it a moment later (seen 1 ms
        # after, FastAPI 0.135.1, in CI). A second is far less than an async
        # generator's 2 s step, which cleanup after the step would wait for.
        assert wait_until(lambda: "dependency" in observed, 1) is not None
        if testclient == "with" and generator == "async" and response == "sse":
            # EventSourceResponse passes the cancellation on through a task of
            # its own: seen 2.1 s later on FastAPI 0.165.0 and 10 s later on
            # 0.135.1. Closing the TestClient ends its event loop, which closes
            # the generator, with no garbage collection (disabled here).
            stack.close()
            assert "generator" in observed
        elif generator == "async":
            # The generator waits in `await asyncio.sleep` between items, and
            # leaving cancels that await (with or without `with`). Garbage
            # collection is off here, so the wait shows cancellation, however
            # long a loaded machine takes to run it.
            assert wait_until(lambda: "generator" in observed, 30) is not None
        elif testclient == "bare":
            # Its event loop shuts down with the request, which usually closes
            # the generator at once. When the shutdown finds the worker thread
            # mid-step (seen on a loaded machine), the generator is left to the
            # garbage collector (how often: the test above).
            if wait_until(lambda: "generator" in observed, 2) is None:
                gc.collect()
                assert wait_until(lambda: "generator" in observed, 2) is not None
        else:
            # A sync generator, inside `with`: nothing closes it until the
            # garbage collector frees it.
            assert "generator" not in ran_soon
            gc.collect()
            assert wait_until(lambda: "generator" in observed, 2) is not None


def seconds_to_leave(
    response: str, pause: float, observed: dict[str, float]
) -> tuple[float, float]:
    """Inside `with TestClient`, read two items of the sync generator's stream,
    give the app time to ask the generator for the third (its worker thread is
    then inside that step), and leave. Returns how long leaving
    `client.stream(...)` took, and how long after leaving the dependency's
    `finally` ran. (After only one item, the app has not yet asked for the
    next: leaving then waits for nothing, at either pause.)"""
    cleanup_observed.PAUSE = pause
    observed.clear()
    with TestClient(cleanup_observed.app) as client:
        path = f"/{response}/sync"
        with client.stream("GET", path, params={"client": "c"}) as stream:
            items = (line for line in stream.iter_lines() if line)
            assert [next(items), next(items)] in (
                ["data: 1", "data: 2"],
                ["line 1", "line 2"],
            )
            time.sleep(0.3)
            leaving = time.monotonic()
        left = time.monotonic()
        assert "dependency" in observed  # it has run once leaving returns
        return left - leaving, observed["dependency"] - leaving


@pytest.mark.slow  # over 3 s
@pytest.mark.parametrize("response", ["sse", "stream"])
def test_inside_with_leaving_waits_for_the_sync_generators_current_step(
    observed: dict[str, float], response: str
) -> None:
    # Side by side: the same stream with steps of 2 s and of 1 ms. When the
    # client leaves, the worker thread is inside time.sleep(PAUSE) making the
    # next item; leaving returns, and the dependency runs, only once that step
    # has. Measured: 1.7 s against a few ms, for both.
    slow_leave, slow_cleanup = seconds_to_leave(response, 2.0, observed)
    fast_leave, fast_cleanup = seconds_to_leave(response, 0.001, observed)

    assert slow_leave >= 1.0, (slow_leave, fast_leave)
    assert slow_leave - fast_leave >= 0.5, (slow_leave, fast_leave)
    assert slow_cleanup >= 1.0, (slow_cleanup, fast_cleanup)
    assert slow_cleanup - fast_cleanup >= 0.5, (slow_cleanup, fast_cleanup)


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


def hanging_app() -> FastAPI:
    """A stream whose generator is waiting, with nothing to send, when the client leaves."""
    app = FastAPI()

    async def waiting() -> AsyncIterable[str]:
        yield "first\n"
        await anyio.sleep_forever()  # a feed with nothing new to say
        yield "never"

    @app.get("/")
    async def stream() -> StreamingResponse:
        return StreamingResponse(waiting(), media_type="text/plain")

    return app


def finishes_after_disconnect(spec_version: str | None) -> bool:
    """Does the app notice, within a second, a client that leaves after one chunk?"""
    sent: list[Message] = []
    received: list[str] = []
    gone = anyio.Event()

    async def receive() -> Message:
        received.append("receive")
        if len(received) == 1:
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if len(sent) == 2:  # the first chunk is out; the client leaves
            gone.set()

    async def main() -> bool:
        with anyio.move_on_after(1) as scope:
            await hanging_app()(
                scope_for("/", spec_version=spec_version), receive, send
            )
        return not scope.cancelled_caught

    return anyio.run(main)


def test_below_2_4_a_waiting_generator_is_stopped_when_the_client_leaves() -> None:
    # Side by side: the same app and the same client, only the declared version
    # differs. uvicorn 0.54 declares 2.3; TestClient declares none (read as 2.0).
    assert finishes_after_disconnect("2.3") is True
    assert finishes_after_disconnect(None) is True
    assert finishes_after_disconnect("2.4") is False


def test_testclient_declares_no_asgi_spec_version() -> None:
    response = TestClient(cleanup_observed.app).get("/__asgi")

    assert response.json() is None
