"""docs/behind_nginx.md on Debian's nginx: which configs hold a stream back.

The app pauses PAUSE (a whole second) after each of 3 pieces. "Streamed" means
the first piece is readable long before the last (about 2 * PAUSE apart, as on
the direct connection); "held" means all of them become readable together, at
the end. The margins (half a PAUSE either way) dwarf scheduling noise on a
loaded two-core machine.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import Arrival, nginx, timed_markers
from tests.e2e.http_clients import raw_http, read_until_closed
from tools.servers import Server, serve

PAUSE = 1.0
STREAMED, HELD = "streamed", "held"


@pytest.fixture(scope="module")
def app() -> Iterator[Server]:
    with serve("examples.behind_nginx.feeds:app", overrides={"PAUSE": PAUSE}) as app:
        yield app


def markers(path: str) -> list[str]:
    if path.startswith("/events"):
        return [f'"number": {n}' for n in (1, 2, 3)]
    return [f"line {n}" for n in (1, 2, 3)]


def assert_arrival(arrival: Arrival, path: str, expected: str) -> None:
    first, _, last = (arrival.seen[m] for m in markers(path))
    assert arrival.status == 200
    assert arrival.complete
    # The last piece cannot exist before 2 * PAUSE (checks the override).
    assert last >= 1.8 * PAUSE
    if expected == STREAMED:
        assert last - first >= PAUSE  # ~2 * PAUSE
        assert first < 0.5 * last
    else:
        assert last - first < 0.5 * PAUSE  # ~0: one read holds all three


PATHS = ["/lines", "/lines-unbuffered", "/events"]
# config -> (what happens to each of PATHS, content-encoding of /lines' answer)
# with Accept-Encoding: gzip, as a browser sends.
TABLE: dict[str | None, tuple[tuple[str, str, str], str | None]] = {
    None: ((STREAMED, STREAMED, STREAMED), None),  # the direct connection
    "proxy_default.conf": ((HELD, STREAMED, STREAMED), None),
    "buffering_off.conf": ((STREAMED, STREAMED, STREAMED), None),
    "http11.conf": ((STREAMED, STREAMED, STREAMED), None),
    "gzip_default_types.conf": ((STREAMED, STREAMED, STREAMED), None),
    "gzip_streams.conf": ((HELD, STREAMED, STREAMED), "gzip"),
}
# (config, path, sent with Accept-Encoding: gzip, expected, content-encoding)
ROWS = [
    (conf, path, True, expected, encoding)
    for conf, (row, encoding) in TABLE.items()
    for path, expected in zip(PATHS, row, strict=True)
] + [
    # Without Accept-Encoding: gzip, nginx does not compress and does not hold.
    ("gzip_streams.conf", "/lines", False, STREAMED, None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("conf", "path", "gzip", "expected", "encoding"), ROWS)
def test_arrival_through_each_config(
    app: Server,
    tmp_path: Path,
    conf: str | None,
    path: str,
    gzip: bool,
    expected: str,
    encoding: str | None,
) -> None:
    target = path + "?count=3"
    if conf is None:
        arrival = timed_markers(app.port, target, gzip=gzip)
    else:
        with nginx(conf, app.port, tmp_path) as port:
            arrival = timed_markers(port, target, gzip=gzip)
    assert arrival.headers.get("content-encoding") == encoding
    assert_arrival(arrival, path, expected)
    if path == "/events":
        assert arrival.headers["content-type"] == "text/event-stream; charset=utf-8"
    if conf is not None:
        # nginx acts on X-Accel-Buffering and keeps it from the client.
        assert "x-accel-buffering" not in arrival.headers
    elif path != "/lines":
        assert arrival.headers["x-accel-buffering"] == "no"
    else:
        assert "x-accel-buffering" not in arrival.headers


@pytest.mark.slow
def test_the_default_config_holds_bytes_until_a_4_kib_buffer_fills(
    app: Server, tmp_path: Path
) -> None:
    """Lines of 3,000 bytes wait for the next line to fill nginx's 4 KiB
    buffer; lines of 5,000 bytes fill it on their own and leave at once."""
    with nginx("proxy_default.conf", app.port, tmp_path) as port:
        short = timed_markers(port, "/lines?count=3&pad=2990")
        long = timed_markers(port, "/lines?count=3&pad=4990")
    assert short.complete and long.complete
    assert len(short.text) == len(long.text) - 3 * 2000
    # 3,000 bytes: line 1 leaves only when line 2 comes, PAUSE later.
    assert short.seen["line 1"] >= 0.5 * PAUSE
    assert short.seen["line 3"] - short.seen["line 1"] >= PAUSE
    # 5,000 bytes: the first 4 KiB of line 1 leave at once.
    assert long.seen["line 1"] < 0.5 * PAUSE
    assert long.seen["line 3"] - long.seen["line 1"] >= 1.5 * PAUSE
    # nginx sends what it held in pieces of at most 4 KiB (one memory page).
    assert max(size for _, size in long.pieces) <= 4096


def test_uvicorn_answers_http_1_0_without_chunks_and_closes() -> None:
    """What nginx's default proxy_http_version 1.0 gets back from a stream:
    no length and no chunks, the end of the body is the end of the connection."""
    with serve("examples.behind_nginx.feeds:app") as direct:
        raw = read_until_closed(
            direct.host, direct.port, b"GET /lines?count=2 HTTP/1.0\r\n\r\n"
        )
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"transfer-encoding" not in head.lower()
    assert b"content-length" not in head.lower()
    assert b"connection: close" in head.lower()
    assert body == b"line 1\nline 2\n"


@pytest.mark.parametrize(
    ("path", "encoding"), [("/welcome", "gzip"), ("/robots.txt", None)]
)
def test_gzip_on_alone_compresses_only_html(
    tmp_path: Path, path: str, encoding: str | None
) -> None:
    """nginx's default gzip_types is text/html: an HTML page is compressed, a
    text/plain answer is not."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: e2e\r\nAccept-Encoding: gzip\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with (
        serve("examples.html_and_text.page_and_robots:app") as direct,
        nginx("gzip_default_types.conf", direct.port, tmp_path) as port,
    ):
        reply = raw_http("127.0.0.1", port, request)
    assert reply.status == 200
    assert reply.headers.get("content-encoding") == encoding
    body = zlib.decompress(reply.body, wbits=31) if encoding else reply.body
    assert body.startswith(b"<h1>Welcome" if path == "/welcome" else b"User-agent")
