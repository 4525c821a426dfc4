"""docs/behind_nginx.md on Debian's nginx: which configs hold a stream back.

The app pauses PAUSE (a whole second) after each of 3 pieces. "Streamed" means
the first piece is readable long before the last (about 2 * PAUSE apart, as on
the direct connection); "held" means all of them become readable together, at
the end. The margins (half a PAUSE either way) dwarf scheduling noise on a
loaded two-core machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import Arrival, nginx, timed_markers
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


# (config, path, sent with Accept-Encoding: gzip, expected, content-encoding)
ROWS = [
    (None, "/lines", True, STREAMED, None),
    (None, "/lines-unbuffered", True, STREAMED, None),
    (None, "/events", True, STREAMED, None),
    ("proxy_default.conf", "/lines", False, HELD, None),
    ("proxy_default.conf", "/lines-unbuffered", False, STREAMED, None),
    ("proxy_default.conf", "/events", False, STREAMED, None),
    ("buffering_off.conf", "/lines", False, STREAMED, None),
    ("http11.conf", "/lines", False, STREAMED, None),
    ("http11.conf", "/events", False, STREAMED, None),
    ("gzip_default_types.conf", "/lines", True, STREAMED, None),
    ("gzip_default_types.conf", "/events", True, STREAMED, None),
    ("gzip_streams.conf", "/lines", True, HELD, "gzip"),
    ("gzip_streams.conf", "/lines", False, STREAMED, None),
    ("gzip_streams.conf", "/lines-unbuffered", True, STREAMED, "gzip"),
    ("gzip_streams.conf", "/events", True, STREAMED, "gzip"),
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
