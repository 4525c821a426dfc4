"""docs/middleware.md on a real uvicorn: what GZipMiddleware does to the arrival
of a stream's chunks and of server-sent events (side by side with GZip off,
through httpx2 and curl --compressed -N), function versus pure ASGI middleware
with a stream, a client that leaves and a background task, and a body rewritten
with the old content-length (curl, httpx2, the server log) next to the fix,
and files behind both middlewares on uvicorn and on Granian (which sends a
file itself through the http.response.pathsend extension).

Pauses are whole seconds, so "chunk by chunk" versus "all at once" and "headers
first" versus "headers with the first chunk" differ by far more than the
scheduling noise of a loaded two-core machine.
"""

from __future__ import annotations

import socket
import subprocess
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests.e2e.http_clients import leave_stream
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import Server, serve
from tools.waiting import wait_until

DELAY = 1.0  # seconds before each of the 3 chunks of /ticks and /events
GZIP_DELAY = "examples.middleware.gzip_responses.DELAY"
MIDDLEWARE = "examples.middleware.function_middleware"


@dataclass
class Arrival:
    headers: dict[str, str]
    headers_at: float  # seconds from the request to the headers
    chunks: list[tuple[float, bytes]]  # (seconds from the request, raw bytes)

    @property
    def raw(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)

    @property
    def spread(self) -> float:
        """Seconds between the first and the last piece of the body."""
        return self.chunks[-1][0] - self.chunks[0][0]


def arrival(url: str, accept_encoding: str) -> Arrival:
    """GET with httpx2, noting when the headers and each raw (undecoded) piece
    of the body reach the client."""
    start = time.monotonic()
    headers = {"accept-encoding": accept_encoding}
    with httpx2.stream("GET", url, headers=headers, timeout=30) as response:
        headers_at = time.monotonic() - start
        assert response.status_code == 200
        chunks = [(time.monotonic() - start, c) for c in response.iter_raw()]
        return Arrival(dict(response.headers), headers_at, chunks)


@pytest.fixture(scope="module")
def gzip_on() -> Iterator[Server]:
    with serve(
        "examples.middleware.gzip_responses:app", overrides={"DELAY": DELAY}
    ) as server:
        yield server


@pytest.fixture(scope="module")
def gzip_off() -> Iterator[Server]:
    with serve(
        "tests.e2e.apps.middleware_gzip_off:app", overrides={GZIP_DELAY: DELAY}
    ) as server:
        yield server


# --- GZipMiddleware and streams -------------------------------------------------


def test_gzip_sends_each_chunk_compressed_as_it_comes(
    gzip_on: Server, gzip_off: Server
) -> None:
    off = arrival(gzip_off.url + "/ticks", "gzip")
    on = arrival(gzip_on.url + "/ticks", "gzip")

    assert "content-encoding" not in off.headers
    assert off.raw == b"tick 0\ntick 1\ntick 2\n"
    assert on.headers["content-encoding"] == "gzip"
    assert on.headers["transfer-encoding"] == "chunked"
    assert zlib.decompress(on.raw, 16 + zlib.MAX_WBITS) == off.raw
    # Measured: off at 1.0, 2.0, 3.0 s; on at 1.0, 2.0, 3.0 s, then the 10-byte
    # gzip trailer with the end of the stream. Buffered, every piece would come
    # at ~3 s and the spread would be ~0.
    for stream in (off, on):
        assert len(stream.chunks) >= 3
        assert stream.spread >= 1.5 * DELAY
        assert stream.chunks[0][0] < 0.75 * stream.chunks[-1][0]
    # Each piece decodes on its own when it arrives (a sync flush per chunk).
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert decoder.decompress(on.chunks[0][1]) == b"tick 0\n"


@pytest.mark.parametrize("accept_encoding", ["gzip", "identity"])
def test_gzip_holds_a_streams_headers_until_its_first_chunk(
    gzip_on: Server, gzip_off: Server, accept_encoding: str
) -> None:
    off = arrival(gzip_off.url + "/ticks", accept_encoding)
    on = arrival(gzip_on.url + "/ticks", accept_encoding)

    # Off: the headers leave at once, a DELAY before the first chunk (measured
    # ~0.01 s vs 1.0 s). On: the middleware keeps them until it has seen the
    # first chunk (made at DELAY), to decide on content-encoding and vary, so
    # they arrive with it; measured 1.0 s, with or without gzip.
    assert off.chunks[0][0] - off.headers_at >= 0.5 * DELAY
    assert on.chunks[0][0] - on.headers_at < 0.5 * DELAY
    assert on.headers_at >= 0.8 * DELAY
    assert on.headers["vary"] == "Accept-Encoding"
    assert "vary" not in off.headers


def test_gzip_leaves_server_sent_events_alone(
    gzip_on: Server, gzip_off: Server
) -> None:
    off = arrival(gzip_off.url + "/events", "gzip")
    on = arrival(gzip_on.url + "/events", "gzip")

    assert "content-encoding" not in on.headers
    assert "vary" not in on.headers
    assert on.raw == off.raw == b"".join(b'data: "tick %d"\n\n' % n for n in range(3))
    # text/event-stream is excluded: headers at once, events as they come.
    for stream in (off, on):
        assert stream.chunks[0][0] - stream.headers_at >= 0.5 * DELAY
        assert [piece for _, piece in stream.chunks] == [
            b'data: "tick %d"\n\n' % n for n in range(3)
        ]
        assert stream.spread >= 1.5 * DELAY


def test_curl_compressed_prints_each_line_as_it_comes(
    curl: str, gzip_on: Server
) -> None:
    """curl --compressed -N decodes every flushed chunk on arrival."""
    start = time.monotonic()
    lines: list[tuple[float, bytes]] = []
    with subprocess.Popen(
        [curl, "-sS", "-N", "--compressed", "--max-time", "20", gzip_on.url + "/ticks"],
        stdout=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.monotonic() - start, line))
    assert proc.returncode == 0
    assert [line for _, line in lines] == [b"tick 0\n", b"tick 1\n", b"tick 2\n"]
    assert lines[-1][0] - lines[0][0] >= 1.5 * DELAY


# --- function middleware versus pure ASGI middleware ---------------------------


@pytest.fixture(params=["function_middleware", "asgi_middleware"])
def middleware_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    overrides = {f"{MIDDLEWARE}.DELAY": DELAY, f"{MIDDLEWARE}.TASK_SECONDS": 5.0}
    with serve(f"examples.middleware.{request.param}:app", overrides=overrides) as s:
        yield s


def events(server: Server) -> list[str]:
    return httpx2.get(server.url + "/events", timeout=10).json()


def test_chunks_pass_a_middleware_one_by_one(middleware_server: Server) -> None:
    start = time.monotonic()
    arrivals: list[tuple[float, bytes]] = []
    with httpx2.stream("GET", middleware_server.url + "/ticks", timeout=30) as response:
        elapsed = float(response.headers["x-elapsed"])
        for chunk in response.iter_raw():
            arrivals.append((time.monotonic() - start, chunk))
            if len(arrivals) == 3:
                break

    assert [chunk for _, chunk in arrivals] == [b"tick 0\n", b"tick 1\n", b"tick 2\n"]
    # Measured 1.0, 2.0, 3.0 s: one tick per second, as the stream made them.
    assert arrivals[-1][0] - arrivals[0][0] >= 1.5 * DELAY
    # x-elapsed is taken when the headers leave, before the first tick exists.
    assert elapsed <= arrivals[0][0] - 0.5 * DELAY


def test_a_client_that_leaves_stops_the_stream_behind_a_middleware(
    middleware_server: Server,
) -> None:
    leave_stream(middleware_server.host, middleware_server.port, "/ticks", b"tick", 2)
    wait_until(
        lambda: any(e.startswith("stream closed") for e in events(middleware_server)),
        15,
        waiting_for="the stream to close",
    )

    (closed,) = [e for e in events(middleware_server) if e.startswith("stream")]
    # It stops at the next tick after the client left (2 or 3 sent), not after 20.
    assert closed in ("stream closed after 2 ticks", "stream closed after 3 ticks")


def read_until(connection: socket.socket, end: bytes) -> bytes:
    received = b""
    while not received.endswith(end):
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_the_response_does_not_wait_for_the_background_task(
    middleware_server: Server,
) -> None:
    address = (middleware_server.host, middleware_server.port)
    with socket.create_connection(address, timeout=4) as connection:
        connection.sendall(
            b"POST /signup HTTP/1.1\r\nHost: e2e\r\nContent-Length: 0\r\n\r\n"
        )
        # The whole answer, well before the 5-second task can have finished
        # (the 4-second socket timeout would raise otherwise).
        answer = read_until(connection, b"}")
        # The next request on the same keep-alive connection, while the task runs.
        connection.sendall(b"GET /events HTTP/1.1\r\nHost: e2e\r\n\r\n")
        during = read_until(connection, b"]")

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nx-elapsed: " in head
    assert body == b'{"status":"signed up"}'
    assert during.startswith(b"HTTP/1.1 200 OK\r\n")
    assert during.endswith(b'"task started"]')
    wait_until(
        lambda: events(middleware_server)[-1] == "task done",
        20,
        waiting_for="the task to finish",
    )


# --- rewriting the body ---------------------------------------------------------


@pytest.fixture(scope="module")
def mistake() -> Iterator[Server]:
    with serve("examples.middleware.stamp_mistake:app") as server:
        yield server


def test_the_old_content_length_leaves_curl_with_no_body(
    curl: str, mistake: Server
) -> None:
    result = subprocess.run(
        [curl, "-sS", "-i", "--max-time", "10", mistake.url + "/user"],
        capture_output=True,
        timeout=30,
        check=False,
    )

    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\ncontent-length: 14\r\n" in head
    # uvicorn (h11) refuses the 33-byte body after sending the headers and
    # closes the connection: curl gets nothing and says so.
    assert body == b""
    assert result.returncode == 18  # CURLE_PARTIAL_FILE
    assert b"transfer closed with 14 bytes remaining to read" in result.stderr


def test_the_old_content_length_makes_httpx_raise(mistake: Server) -> None:
    with pytest.raises(
        httpx2.RemoteProtocolError, match="received 0 bytes, expected 14"
    ):
        httpx2.get(mistake.url + "/user", timeout=10)


def test_uvicorn_logs_too_much_data(server_log: ServerLog) -> None:
    def count(log: str) -> int:
        return log.count(ASGI_ERROR)

    with serve("examples.middleware.stamp_mistake:app") as server:
        # Starting, serve() asked for /__ready: its 404 JSON was stamped too.
        server_log.wait_for(lambda log: count(log) == 1)
        with pytest.raises(httpx2.RemoteProtocolError):
            httpx2.get(server.url + "/user", timeout=10)
        log = server_log.wait_for(lambda log: count(log) == 2)
        docs = httpx2.get(server.url + "/docs", timeout=10)

    assert docs.status_code == 200  # HTML is not rewritten, so it arrives whole
    assert int(docs.headers["content-length"]) == len(docs.content)
    error = "LocalProtocolError: Too much data for declared Content-Length"
    assert log.count(error) == 2, log
    assert count(server_log.read()) == 2


def curl_i(curl: str, url: str) -> tuple[bytes, bytes]:
    """The status line and headers, and the body, as curl -i got them."""
    result = subprocess.run(
        [curl, "-sS", "-i", "--max-time", "10", url],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    return head, body


def test_the_fix_sends_the_stamped_body_with_its_length(curl: str) -> None:
    with serve("examples.middleware.stamp_fixed:app", overrides={"DELAY": DELAY}) as s:
        user = curl_i(curl, s.url + "/user")
        missing = curl_i(curl, s.url + "/nowhere")
        names = curl_i(curl, s.url + "/names?count=20000")
        feed = arrival(s.url + "/feed", "identity")

    head, body = user
    assert b"\r\ncontent-length: 30\r\n" in head
    assert body == b'{"name":"Ada","api_version":2}'
    # The 404 is stamped too, with its new length.
    head, body = missing
    assert head.startswith(b"HTTP/1.1 404 ")
    assert b"\r\ncontent-length: 38\r\n" in head
    assert body == b'{"detail":"Not Found","api_version":2}'
    # Over LIMIT: unchanged, with its own length.
    head, body = names
    assert b"\r\ncontent-length: 120011\r\n" in head
    assert body == b'{"names":[' + b",".join([b'"Ada"'] * 20_000) + b"]}"
    # The stream goes through untouched, line by line.
    assert [piece for _, piece in feed.chunks] == [
        b'{"tick": %d}\n' % n for n in range(3)
    ]
    assert feed.spread >= 1.5 * DELAY
    assert "content-length" not in feed.headers
    # Its headers wait for the first line (made at DELAY), as with GZip.
    assert feed.headers_at >= 0.8 * DELAY


# --- a server that sends files itself (pathsend) ----------------------------------


@pytest.mark.parametrize(
    ("server", "passes_through"), [("uvicorn", True), ("granian", False)]
)
def test_a_file_skips_the_middlewares_on_a_server_that_sends_it(
    server: str, passes_through: bool, tmp_path: Path
) -> None:
    """Granian offers http.response.pathsend: FileResponse (and StaticFiles,
    which uses it) hands it the path, so no body message passes GZip or the
    fix. uvicorn does not offer it."""
    text = b"a" * 5000
    data = b'{"items": [1, 2, 3]}'
    (tmp_path / "big.txt").write_bytes(text)
    (tmp_path / "data.json").write_bytes(data)
    app = "tests.e2e.apps.middleware_files:app"
    with serve(app, server=server, overrides={"FILES": tmp_path}) as running:
        got = {
            path: httpx2.get(
                running.url + path, headers={"accept-encoding": "gzip"}, timeout=10
            )
            for path in ("/static/big.txt", "/download", "/static/data.json")
        }
        seen = httpx2.get(running.url + "/__seen", timeout=10).json()

    assert got["/static/data.json"].content == data  # a file is never stamped
    for path in ("/static/big.txt", "/download"):
        assert got[path].content == text
        encoding = got[path].headers.get("content-encoding")
        assert encoding == ("gzip" if passes_through else None)
    last = "http.response.body" if passes_through else "http.response.pathsend"
    assert seen == [["http.response.start", last]] * 3
