"""docs/streaming.md on a real uvicorn: chunks leave as they are produced, over
chunked transfer; where generators run; what runs when a client leaves.

Every timing below uses generous pauses (a whole second) so that the contrast
between "sent as produced" and "sent at the end" is many times larger than the
scheduling noise of a loaded two-core machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.http_clients import raw_get, timed_get
from tools.servers import Server, serve

DELAY = 1.0  # seconds where_generators_run sleeps before each of its 2 chunks
PAUSE = 1.0  # seconds the cleanup app pauses between items


@pytest.fixture(scope="module")
def generators_server() -> Iterator[Server]:
    with serve(
        "examples.streaming.where_generators_run:app", overrides={"DELAY": DELAY}
    ) as server:
        yield server


@pytest.mark.parametrize("path", ["/sync", "/async", "/blocking"])
def test_first_chunk_arrives_long_before_the_last_is_produced(
    generators_server: Server, path: str
) -> None:
    stream = timed_get(generators_server.url + path)

    assert stream.status == 200
    kind = path.strip("/")
    assert stream.body.decode().splitlines()[0].startswith(f"{kind} 0: ")
    assert stream.body.decode().splitlines()[1].startswith(f"{kind} 1: ")
    # The generator sleeps DELAY before each chunk: the last one cannot exist
    # before 2 * DELAY (also proves the DELAY override took effect).
    first, last = stream.arrivals[0][0], stream.arrivals[-1][0]
    assert last >= 1.8 * DELAY
    # Streamed: first at ~DELAY, last at ~2 * DELAY (measured 1.02-1.24 s and
    # 2.02-2.24 s). A server or response that buffered the body would deliver
    # both at ~2 * DELAY, making first == last, and both asserts fail.
    assert first < 0.75 * last
    assert last - first >= 0.5 * DELAY
    assert len(stream.arrivals) == 2  # one piece per yield, a second apart


def test_a_stream_goes_out_with_chunked_transfer_encoding(
    generators_server: Server,
) -> None:
    """The raw bytes: one HTTP/1.1 chunk per yield, then the zero-length chunk."""
    reply = raw_get(generators_server.host, generators_server.port, b"/async")

    assert reply.status == 200
    # The length isn't known when the headers leave, so uvicorn frames the
    # body in chunks; a content-length would mean the body was collected first.
    assert reply.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in reply.headers
    assert set(reply.headers) == {
        "date",
        "server",
        "content-type",
        "transfer-encoding",
        "connection",  # uvicorn's answer to our `Connection: close`
    }
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    line0 = b"async 0: event loop thread\n"
    line1 = b"async 1: event loop thread\n"
    assert reply.wire_body == (
        b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(line0), line0, len(line1), line1)
    )
    assert reply.body == line0 + line1  # h11 undoes the framing


@pytest.mark.parametrize(
    ("path", "blocks_the_loop"),
    [("/sync", False), ("/async", False), ("/blocking", True)],
)
def test_only_a_blocking_async_generator_holds_up_other_requests(
    generators_server: Server, path: str, blocks_the_loop: bool
) -> None:
    """The warning on the page: time.sleep in an async generator stops every request."""
    with httpx2.Client(base_url=generators_server.url, timeout=30) as other:
        other.get("/openapi.json")  # warm up: the first call builds the schema
        with httpx2.stream("GET", generators_server.url + path, timeout=30) as response:
            # The headers leave before the generator's first sleep starts.
            assert response.status_code == 200
            start = time.monotonic()
            assert other.get("/openapi.json").status_code == 200
            waited = time.monotonic() - start
            response.read()
    if blocks_the_loop:
        # Measured 1.7-2.0 s: the loop is frozen through both sleeps.
        assert waited >= 0.8 * DELAY
    else:
        # Measured ~0.02 s: a worker thread or an awaited sleep leaves the loop free.
        assert waited < 0.5 * DELAY


def test_a_yielding_path_operation_streams_json_lines() -> None:
    with serve("examples.streaming.yield_json_lines:app") as server:
        stream = timed_get(server.url + "/items")

    assert stream.status == 200
    assert stream.headers["content-type"] == "application/jsonl"
    assert stream.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in stream.headers
    assert stream.body == (
        b'{"name":"Pen","price":1.5}\n{"name":"Notebook","price":4.0}\n'
    )


# --- cleanup when the client leaves -----------------------------------------
