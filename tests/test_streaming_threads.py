"""Where StreamingResponse runs sync and async generators, and the worker
thread pool they share with def routes and dependencies (docs/streaming.md)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.testclient import TestClient

from examples.streaming import where_generators_run
from tests.support import Message, call_asgi

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
    # A frozen loop shows at least the whole delay (time.sleep never returns
    # early); a free one only the machine's scheduling stalls, seen up to 0.7 s
    # on a loaded CI machine, so the delay stays well above that.
    delay = 1.5
    monkeypatch.setattr(where_generators_run, "DELAY", delay)
    return delay


def test_blocking_sleep_in_a_sync_generator_holds_a_thread_not_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/sync")

    assert pause < slow_chunks
    assert threads == 1


def test_awaited_sleep_in_an_async_generator_frees_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/async")

    assert pause < slow_chunks
    assert threads == 0


def test_blocking_sleep_in_an_async_generator_freezes_the_loop(
    slow_chunks: float,
) -> None:
    pause, threads = longest_pause_and_threads(where_generators_run.app, "/blocking")

    assert pause >= slow_chunks
    assert threads == 0


# --- The pool is shared: who waits when it is full -----------------------------


def test_an_async_route_with_a_def_dependency_uses_a_worker_thread() -> None:
    response = TestClient(where_generators_run.app).get("/quick")

    assert response.json() == {"dependency ran in": "AnyIO worker thread"}


def quick_wait(monkeypatch: pytest.MonkeyPatch, threads: int, delay: float) -> float:
    """Seconds /quick takes while a /sync stream is in a `delay`-second step."""
    monkeypatch.setattr(where_generators_run, "DELAY", delay)
    monkeypatch.setattr(where_generators_run, "THREADS", threads)
    with TestClient(where_generators_run.app) as client:
        busy = threading.Thread(target=client.get, args=["/sync"])
        busy.start()
        time.sleep(delay / 2)
        start = time.monotonic()
        assert client.get("/quick").status_code == 200
        waited = time.monotonic() - start
        busy.join(timeout=10)
    return waited


@pytest.mark.slow  # over 3 s
def test_with_the_pool_full_even_an_async_route_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    delay = 1.0
    # Side by side: the same requests with the default pool and a pool of one.
    roomy = quick_wait(monkeypatch, 40, delay)
    full = quick_wait(monkeypatch, 1, delay)

    # Measured ~0.01 s and ~0.5 s: with one thread, /quick's `def` dependency
    # waits for the rest of the stream's step (delay / 2).
    assert roomy < delay / 4
    assert full >= delay / 4


def def_dependency() -> str:
    return "ok"


def held_pool_app(tmp_path: Path) -> FastAPI:
    app = FastAPI()
    report = tmp_path / "report.txt"
    report.write_text("a report\n")

    @app.get("/def-dependency")
    async def with_def_dependency(value: Annotated[str, Depends(def_dependency)]):
        return value

    @app.get("/file")
    async def file() -> FileResponse:
        return FileResponse(report)

    @app.get("/sync-generator")
    async def sync_generator() -> StreamingResponse:
        return StreamingResponse(iter(["ok"]))

    @app.get("/def-route")
    def def_route() -> str:
        return "ok"

    @app.get("/all-async")
    async def all_async() -> str:
        return "ok"

    return app


@pytest.mark.parametrize(
    ("path", "needs_a_thread"),
    [
        ("/def-dependency", True),
        ("/file", True),
        ("/sync-generator", True),
        ("/def-route", True),
        ("/all-async", False),
    ],
)
def test_what_waits_while_every_worker_thread_is_busy(
    tmp_path: Path, path: str, needs_a_thread: bool
) -> None:
    app = held_pool_app(tmp_path)
    result: dict[str, Any] = {}

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        release = threading.Event()
        async with anyio.create_task_group() as tg:
            # Something else holds the only worker thread.
            tg.start_soon(anyio.to_thread.run_sync, release.wait)
            await anyio.sleep(0.05)
            with anyio.move_on_after(0.5):
                result["early"] = await call_asgi(app, path)
            release.set()
        result["late"] = await call_asgi(app, path)

    anyio.run(main)

    assert result["late"][0]["status"] == 200  # with the thread free, it works
    if needs_a_thread:
        assert "early" not in result  # stalled for the whole half second
    else:
        assert result["early"][0]["status"] == 200
