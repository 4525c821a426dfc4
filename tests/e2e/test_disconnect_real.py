"""What runs when a client leaves a stream on a real uvicorn, and how soon.

The pages (streaming.md, server_sent_events.md) tell readers: an async
generator's finally runs at once, followed by the yield dependency's; a sync
generator delays the dependency by up to one step, and its own finally waits
for the garbage collector. Each case runs for an SSE feed and a plain stream.
tests/e2e/apps/cleanup_observed.py records when each cleanup ran.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.http_clients import leave_stream
from tools.servers import Server, serve
from tools.waiting import wait_until

PAUSE = 1.0  # seconds the cleanup app pauses between items
# (route prefix, the bytes that start one item of its body)
KINDS = {"sse": b"data: ", "stream": b"line "}
_clients = itertools.count()


@pytest.fixture(scope="module")
def cleanup_server() -> Iterator[Server]:
    with serve(
        "tests.e2e.apps.cleanup_observed:app", overrides={"PAUSE": PAUSE}
    ) as server:
        yield server


def cleanups(server: Server, client: str) -> dict[str, float]:
    return httpx2.get(server.url + "/__cleanups", timeout=10).json().get(client, {})


def leave_after_two_items(
    server: Server, kind: str, generator: str
) -> tuple[str, float]:
    client = f"{kind}{next(_clients)}"
    target = f"/{kind}/{generator}?client={client}"
    return client, leave_stream(server.host, server.port, target, KINDS[kind], 2)


@pytest.mark.parametrize("trial", range(3))
@pytest.mark.parametrize("kind", KINDS)
def test_async_generator_finally_and_dependency_run_at_once(
    cleanup_server: Server, kind: str, trial: int
) -> None:
    client, left = leave_after_two_items(cleanup_server, kind, "async")

    done = wait_until(
        lambda: {"generator", "dependency"} <= set(cleanups(cleanup_server, client)),
        timeout=PAUSE + 2,
    )
    assert done is not None, "cleanup never ran"
    seen = cleanups(cleanup_server, client)
    # Measured 0-4 ms: the disconnect cancels the generator at its
    # `await asyncio.sleep`, so its finally runs, then the dependency's.
    # Waiting for the next item instead would take ~PAUSE (1 s), so the bound
    # is halfway between: a busy CI machine once took 373 ms for the
    # dependency's cleanup, over an earlier bound of 0.3 * PAUSE.
    assert seen["generator"] - left < 0.5 * PAUSE
    assert seen["dependency"] - left < 0.5 * PAUSE
    assert seen["generator"] <= seen["dependency"]


@pytest.mark.parametrize("trial", range(2))
@pytest.mark.parametrize("kind", KINDS)
def test_sync_generator_delays_the_dependency_and_its_finally_waits_for_gc(
    cleanup_server: Server, kind: str, trial: int
) -> None:
    client, left = leave_after_two_items(cleanup_server, kind, "sync")

    closed = wait_until(
        lambda: "dependency" in cleanups(cleanup_server, client), timeout=PAUSE + 2
    )
    assert closed is not None, "the dependency never cleaned up"
    seen = cleanups(cleanup_server, client)
    # A worker thread is inside next() (in time.sleep(PAUSE)) when the client
    # leaves; a thread can't be cancelled, so teardown waits for that call.
    # Measured 1.00-1.03 s after the close. An immediate cleanup fails here.
    assert 0.5 * PAUSE <= seen["dependency"] - left <= PAUSE + 1.0
    # Nothing closes the sync generator: its finally has not run, nor a
    # second later...
    assert "generator" not in seen
    time.sleep(1.0)
    assert "generator" not in cleanups(cleanup_server, client)
    # ...and runs as soon as the garbage collector frees it.
    httpx2.post(cleanup_server.url + "/__collect", timeout=10)
    assert "generator" in cleanups(cleanup_server, client)


def test_uvicorn_declares_asgi_spec_version_2_3(cleanup_server: Server) -> None:
    # docs/streaming.md: below 2.4, StreamingResponse listens for the
    # disconnect message, which is what makes cleanup immediate above.
    versions = httpx2.get(cleanup_server.url + "/__asgi", timeout=10).json()

    assert versions == {"version": "3.0", "spec_version": "2.3"}
