"""Streams: when each line arrives, directly, with GZipMiddleware, and through
each nginx configuration of the Behind nginx page.

The app is examples/behind_nginx/feeds.py as it is, `/lines` sending one line
every PAUSE seconds; GZipMiddleware wraps the same app (tools/bench/inflight.py).
Every round gets a fresh app server, and each path is measured in another
order; nginx is started afresh for each of its configurations.
"""

from __future__ import annotations

import itertools
import socket
import statistics
import time
import zlib
from pathlib import Path

from tools.bench.common import HOST, Settings, round_order
from tools.nginx import proxy
from tools.servers import ROOT, serve

APP = "tools.bench.inflight:arrival_app"
PAUSE = 0.05  # seconds between lines (feeds.PAUSE)
LINES = 10
CONFS = ROOT / "examples" / "behind_nginx"
GZIP = {"Accept-Encoding": "gzip"}

# (key, label on the page, nginx config or None for direct, path, headers)
VARIANTS = (
    ("direct", "direct to uvicorn", None, "/lines", {}),
    ("gzip_middleware", "`GZipMiddleware`, direct", None, "/gzip/lines", GZIP),
    (
        "proxy_default",
        "nginx, `proxy_default.conf`",
        "proxy_default.conf",
        "/lines",
        {},
    ),
    (
        "accel_buffering_no",
        "nginx, `proxy_default.conf`, `X-Accel-Buffering: no`",
        "proxy_default.conf",
        "/lines-unbuffered",
        {},
    ),
    ("http11", "nginx, `http11.conf`", "http11.conf", "/lines", {}),
    (
        "buffering_off",
        "nginx, `buffering_off.conf`",
        "buffering_off.conf",
        "/lines",
        {},
    ),
    ("gzip_streams", "nginx, `gzip_streams.conf`", "gzip_streams.conf", "/lines", GZIP),
)
BASELINE = "direct"


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    runs = []
    for repeat in range(settings.repeats):
        overrides = {"examples.behind_nginx.feeds.PAUSE": PAUSE}
        with serve(APP, overrides=overrides) as server:
            arrivals(server.port, f"/lines?count={LINES}", {})  # warm up
            for key, _, conf, path, headers in round_order(
                VARIANTS, repeat, settings.repeats
            ):
                if conf is None:
                    found = timed(server.port, path, headers, settings)
                else:
                    work = workdir / f"arrival-{key}-{repeat}"
                    with proxy(CONFS / conf, server.port, work) as port:
                        found = timed(port, path, headers, settings)
                runs.append({"repeat": repeat, "variant": key, **found})
                print(
                    f"arrival {repeat} {key}: first {found['first_ms']:.0f} ms, "
                    f"gap {found['gap_ms']:.0f} ms"
                )
    return {
        "variants": [
            {"key": key, "label": label, "conf": conf, "path": path}
            for key, label, conf, path, _ in VARIANTS
        ],
        "baseline": BASELINE,
        "lines": LINES,
        "pause_s": PAUSE,
        "runs": runs,
    }


def timed(port: int, path: str, headers: dict, settings: Settings) -> dict:
    """Medians over `stream_requests` downloads, one at a time."""
    found = [
        download(port, f"{path}?count={LINES}", headers)
        for _ in range(settings.stream_requests)
    ]
    times = [t for t, _ in found]
    return {
        "gzipped": all(b"content-encoding: gzip" in h.lower() for _, h in found),
        "first_ms": statistics.median(t[0] for t in times) * 1e3,
        "gap_ms": statistics.median(
            statistics.median(b - a for a, b in itertools.pairwise(t)) for t in times
        )
        * 1e3,
        "last_ms": statistics.median(t[-1] for t in times) * 1e3,
    }


def arrivals(port: int, path: str, headers: dict, timeout: float = 30.0) -> list[float]:
    """Seconds from sending the request to the arrival of each whole line."""
    return download(port, path, headers, timeout)[0]


def download(
    port: int, path: str, headers: dict, timeout: float = 30.0
) -> tuple[list[float], bytes]:
    """arrivals(), and the response's header block."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{extra}Connection: close\r\n\r\n"
    raw = b""
    seen: list[float] = []
    deadline = time.monotonic() + timeout
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        start = time.perf_counter()
        conn.sendall(request.encode())
        while data := conn.recv(65536):
            now = time.perf_counter() - start
            raw += data
            lines = body(raw).count(b"\n")
            seen += [now] * (lines - len(seen))
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path} took over {timeout} s")
    head = raw.partition(b"\r\n\r\n")[0]
    if not head.startswith(b"HTTP/1.1 200") or len(seen) != LINES:
        raise RuntimeError(f"GET {path}: {len(seen)} lines, {head[:300]!r}")
    return seen, head


def body(raw: bytes) -> bytes:
    """The decoded body received so far: de-chunked, then gunzipped if gzipped."""
    head, found, rest = raw.partition(b"\r\n\r\n")
    if not found:
        return b""
    fields = head.lower()
    if b"transfer-encoding: chunked" in fields:
        rest = dechunk(rest)
    if b"content-encoding: gzip" in fields:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(rest)
    return rest


def dechunk(data: bytes) -> bytes:
    """The chunks' data so far, the last one possibly cut short."""
    out = b""
    while True:
        size_line, found, data = data.partition(b"\r\n")
        if not found:
            return out
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return out
        out += data[:size]
        if len(data) < size + 2:
            return out
        data = data[size + 2 :]
