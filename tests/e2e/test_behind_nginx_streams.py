"""docs/behind_nginx.md on Debian's nginx: which configs hold a stream back.

The app pauses PAUSE (a whole second) after each of 3 pieces. "Streamed" means
the first piece is readable long before the last (about 2 * PAUSE apart, as on
the direct connection); "held" means all of them become readable together, at
the end. Every timing assertion leaves at least half a PAUSE of margin, which
dwarfs scheduling noise on a loaded two-core machine.

Every timed request of the module is made once, by the `arrivals` fixture,
against one uvicorn and one nginx per config, a few requests at a time; the
tests then check what each request saw. Each request keeps its own clock.
"""

from __future__ import annotations

import subprocess
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import Arrival, nginx, site, timed_markers
from tests.e2e.http_clients import raw_http, read_until_closed
from tools.servers import Server, serve

PAUSE = 1.0
STREAMED, HELD = "streamed", "held"


@pytest.fixture(scope="module")
def app() -> Iterator[Server]:
    with serve("examples.behind_nginx.feeds:app", overrides={"PAUSE": PAUSE}) as app:
        yield app


MARKERS = r"line \d+|\"number\": \d+"
# A line's start ("line 1") or, once it is readable in full, the whole line.
STARTS_AND_ENDS = r"line \d+\.*\n|line \d+"


@dataclass(frozen=True)
class Get:
    """One timed GET: through `conf` (None: straight to uvicorn)."""

    conf: str | None
    target: str
    gzip: bool = True
    pattern: str = MARKERS
    host: str = "e2e"


def gets() -> list[Get]:
    """Every timed request the tests below look at, each once."""
    wanted = [Get(conf, path + "?count=3", gzip) for conf, path, gzip, _, _ in ROWS]
    wanted.append(Get("proxy_default.conf", SHORT, False, STARTS_AND_ENDS))
    wanted += [
        Get(conf, f"{path}?count=3&pad={pad}", False, STARTS_AND_ENDS)
        for conf, path, pad, _ in LONG
    ]
    wanted.append(Get("site.conf", "/lines?count=3", True, host="guide.example"))
    return list(dict.fromkeys(wanted))


@pytest.fixture(scope="module")
def arrivals(
    app: Server, tmp_path_factory: pytest.TempPathFactory
) -> dict[Get, Arrival | BaseException]:
    wanted = gets()
    with ExitStack() as stack:
        ports: dict[str | None, int] = {None: app.port}
        for conf in sorted({get.conf for get in wanted if get.conf}):
            work = tmp_path_factory.mktemp("nginx")
            started = (
                site(app.port, work)
                if conf == "site.conf"
                else nginx(conf, app.port, work)
            )
            ports[conf] = stack.enter_context(started)
        # A few at a time: each waits 3 PAUSE and keeps its own clock.
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = {
                get: pool.submit(
                    timed_markers,
                    ports[get.conf],
                    get.target,
                    get.pattern,
                    gzip=get.gzip,
                    host=get.host,
                )
                for get in wanted
            }
        return {
            get: future.exception() or future.result()
            for get, future in futures.items()
        }


def result_of(arrivals: dict[Get, Arrival | BaseException], get: Get) -> Arrival:
    result = arrivals[get]
    if isinstance(result, BaseException):
        raise result
    return result


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
    # SSE that FastAPI does not write itself carries no X-Accel-Buffering.
    (None, "/events-returned", True, STREAMED, None),
    (None, "/events-by-hand", True, STREAMED, None),
    ("proxy_default.conf", "/events-returned", True, HELD, None),
    ("proxy_default.conf", "/events-by-hand", True, HELD, None),
]
SHORT = "/lines?count=3&pad=2990"  # lines of 3,000 bytes
TAIL_HELD, WHOLE = "tail held", "whole"
# (config, path, dots per line, what becomes of a line longer than 4 KiB)
LONG = [
    (None, "/lines", 4990, WHOLE),
    ("proxy_default.conf", "/lines", 4990, TAIL_HELD),
    ("http11.conf", "/lines", 4990, TAIL_HELD),  # chunks too, with buffering on
    ("http11.conf", "/lines", 9990, TAIL_HELD),  # two full buffers at once
    ("buffering_off.conf", "/lines", 4990, WHOLE),
    ("proxy_default.conf", "/lines-unbuffered", 4990, WHOLE),
]
MARKED = {"/lines-unbuffered", "/events"}  # the app sends X-Accel-Buffering: no


@pytest.mark.slow
@pytest.mark.parametrize(("conf", "path", "gzip", "expected", "encoding"), ROWS)
def test_arrival_through_each_config(
    arrivals: dict[Get, Arrival | BaseException],
    conf: str | None,
    path: str,
    gzip: bool,
    expected: str,
    encoding: str | None,
) -> None:
    arrival = result_of(arrivals, Get(conf, path + "?count=3", gzip))
    assert arrival.headers.get("content-encoding") == encoding
    assert_arrival(arrival, path, expected)
    if path.startswith("/events"):
        assert arrival.headers["content-type"] == "text/event-stream; charset=utf-8"
    if conf is not None:
        # nginx acts on X-Accel-Buffering and keeps it from the client.
        assert "x-accel-buffering" not in arrival.headers
    elif path in MARKED:
        assert arrival.headers["x-accel-buffering"] == "no"
    else:
        assert "x-accel-buffering" not in arrival.headers


def starts_and_ends(arrival: Arrival) -> tuple[dict[str, float], dict[str, float]]:
    """When each line's start, and each whole line, became readable (a line
    read whole at once is seen only as whole)."""
    starts: dict[str, float] = {}
    ends: dict[str, float] = {}
    for key, seen in arrival.seen.items():
        name = key.split(".")[0].strip()
        starts[name] = min(seen, starts.get(name, seen))
        if key.endswith("\n"):
            ends[name] = seen
    return starts, ends


@pytest.mark.slow
def test_the_default_config_holds_short_lines_until_a_4_kib_buffer_fills(
    arrivals: dict[Get, Arrival | BaseException],
) -> None:
    """Lines of 3,000 bytes wait for the next line to fill nginx's 4 KiB buffer."""
    short = result_of(
        arrivals, Get("proxy_default.conf", SHORT, False, STARTS_AND_ENDS)
    )
    assert short.complete
    starts, ends = starts_and_ends(short)
    # Line 1 leaves only when line 2 comes, PAUSE later.
    assert starts["line 1"] >= 0.5 * PAUSE
    assert starts["line 3"] - starts["line 1"] >= 0.5 * PAUSE  # ~PAUSE
    assert ends["line 1"] >= 0.5 * PAUSE


@pytest.mark.slow
@pytest.mark.parametrize(("conf", "path", "pad", "expected"), LONG)
def test_a_line_longer_than_4_kib_through_a_buffer(
    arrivals: dict[Get, Arrival | BaseException],
    conf: str | None,
    path: str,
    pad: int,
    expected: str,
) -> None:
    """Of a line longer than 4 KiB, every full 4 KiB buffer leaves at once;
    with buffering on, the rest waits for the next line (the last line's for
    the end)."""
    long = result_of(
        arrivals, Get(conf, f"{path}?count=3&pad={pad}", False, STARTS_AND_ENDS)
    )
    size = pad + 7  # "line 1" + the dots + "\n"
    assert long.complete
    assert long.text.count("\n") == 3 and len(long.text) == 3 * size
    starts, ends = starts_and_ends(long)
    # Line 1's start leaves at once, line 3's start ~2 PAUSE later.
    assert starts["line 1"] < 0.5 * PAUSE
    assert starts["line 3"] - starts["line 1"] >= 1.5 * PAUSE
    if expected == WHOLE:
        assert ends["line 1"] < 0.5 * PAUSE
        assert ends["line 3"] - ends["line 1"] >= 1.5 * PAUSE  # ~2 PAUSE
    else:
        # The whole line only with the next one, a PAUSE later; the last
        # line only when the stream ends, after the final PAUSE.
        assert ends["line 1"] - starts["line 1"] >= 0.5 * PAUSE  # ~PAUSE
        assert ends["line 3"] >= 2.5 * PAUSE  # ~3 PAUSE
        # What left at once: every full 4 KiB buffer of line 1 (less the
        # response head and chunk sizes that shared the first buffer).
        at_once = sum(n for seen, n in long.pieces if seen < 0.5 * PAUSE)
        full = size // 4096 * 4096
        assert full - 512 <= at_once < size


@pytest.mark.slow
def test_site_conf_streams_a_plain_stream(
    arrivals: dict[Get, Arrival | BaseException],
) -> None:
    arrival = result_of(
        arrivals, Get("site.conf", "/lines?count=3", host="guide.example")
    )
    assert arrival.headers.get("content-encoding") is None
    assert_arrival(arrival, "/lines", STREAMED)


def test_the_nginx_under_test_is_1_22_1() -> None:
    """The page states what nginx 1.22.1's defaults do; other versions differ."""
    version = subprocess.run(
        ["nginx", "-v"], capture_output=True, text=True, check=True
    )
    assert version.stderr.strip() == "nginx version: nginx/1.22.1"


def test_debians_main_config_turns_gzip_and_sendfile_on() -> None:
    """The tests use a minimal main config; Debian's own has these two on."""
    lines = Path("/etc/nginx/nginx.conf").read_text().splitlines()
    settings = [line.strip() for line in lines]
    assert "gzip on;" in settings
    assert "sendfile on;" in settings
    assert not any(line.startswith("gzip_types") for line in settings)


def test_uvicorn_answers_http_1_0_without_chunks_and_closes(app: Server) -> None:
    """What nginx's default proxy_http_version 1.0 gets back from a stream:
    no length and no chunks, the end of the body is the end of the connection."""
    raw = read_until_closed(app.host, app.port, b"GET /lines?count=2 HTTP/1.0\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"transfer-encoding" not in head.lower()
    assert b"content-length" not in head.lower()
    assert b"connection: close" in head.lower()
    assert body == b"line 1\nline 2\n"


@pytest.fixture(scope="module")
def gzip_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    work = tmp_path_factory.mktemp("gzip")
    with (
        serve("examples.html_and_text.page_and_robots:app") as direct,
        nginx("gzip_default_types.conf", direct.port, work) as port,
    ):
        yield port


@pytest.mark.parametrize("via", ["", "Via: 1.1 cdn\r\n"])
@pytest.mark.parametrize(
    ("path", "encoding"), [("/welcome", "gzip"), ("/robots.txt", None)]
)
def test_gzip_on_alone_compresses_only_html(
    gzip_port: int, path: str, encoding: str | None, via: str
) -> None:
    """nginx's default gzip_types is text/html: an HTML page is compressed, a
    text/plain answer is not; gzip_proxied any compresses a request that came
    through another proxy (Via) too, and gzip_vary says Vary: Accept-Encoding."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: e2e\r\nAccept-Encoding: gzip\r\n{via}"
        "Connection: close\r\n\r\n"
    ).encode()
    reply = raw_http("127.0.0.1", gzip_port, request)
    assert reply.status == 200
    assert reply.headers.get("content-encoding") == encoding
    assert reply.headers.get("vary") == ("Accept-Encoding" if encoding else None)
    body = zlib.decompress(reply.body, wbits=31) if encoding else reply.body
    assert body.startswith(b"<h1>Welcome" if path == "/welcome" else b"User-agent")
