"""What every benchmark shares: settings, the machine, wrk, and a timing client."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from tools.waiting import wait_until

HOST = "127.0.0.1"
PACKAGES = ("fastapi", "starlette", "pydantic", "uvicorn", "orjson", "matplotlib")
# The other servers some rows run on (pyproject's `servers` group).
SERVERS = ("httptools", "uvloop", "granian", "hypercorn")


@dataclass(frozen=True)
class Settings:
    """How long and how often each measurement runs; --quick shrinks them all."""

    quick: bool
    repeats: int  # rounds; every variant is measured once per round, side by side
    wrk_seconds: int  # length of one wrk run
    wrk_connections: int  # open connections wrk (or the counted client) keeps busy
    counted_requests: int  # requests per measurement where wrk is not used
    stream_requests: int  # timed downloads per streaming variant and round
    stream_levels: tuple[int, ...]  # how many slow streams are held open
    pings: int  # timed requests to each small route at each level
    file_pings: int  # timed requests to the FileResponse route at each level
    probe_file_bytes: int  # the file that route sends
    file_downloads: int  # timed downloads of each file per variant and round
    file_sizes: tuple[tuple[str, int], ...]  # (label, bytes)

    @classmethod
    def full(cls) -> Settings:
        return cls(
            quick=False,
            repeats=3,
            wrk_seconds=2,
            wrk_connections=4,
            counted_requests=20,
            stream_requests=5,
            stream_levels=(0, 20, 40, 60, 80),
            pings=5,
            file_pings=1,
            probe_file_bytes=2 * 2**20,
            file_downloads=3,
            file_sizes=(("10 MB", 10**7), ("100 MB", 10**8), ("1 GiB", 2**30)),
        )

    @classmethod
    def quick_run(cls) -> Settings:
        return cls(
            quick=True,
            repeats=1,
            wrk_seconds=1,
            wrk_connections=2,
            counted_requests=4,
            stream_requests=1,
            stream_levels=(0, 50),
            pings=2,
            file_pings=1,
            probe_file_bytes=256 * 2**10,
            file_downloads=3,  # the median of three, as in the full run
            file_sizes=(("1 MB", 10**6),),
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# --- the machine and the versions -------------------------------------------


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, flags=re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text()
    total_kib = int(re.search(r"^MemTotal:\s+(\d+)", meminfo, flags=re.MULTILINE)[1])
    return {
        "cpu_model": model[1].strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(total_kib / 2**20, 1),
        "kernel": platform.release(),
        "load_average_at_start": load_average(),
    }


def load_average() -> list[float]:
    """Runnable processes over the last 1, 5 and 15 minutes (Linux)."""
    return [round(x, 2) for x in os.getloadavg()]


def tool_version(command: list[str], pattern: str) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=10, check=False
    )
    match = re.search(pattern, run.stdout + run.stderr)
    return match[1] if match else None


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    found.update(
        {name: importlib.metadata.version(name) for name in PACKAGES + SERVERS}
    )
    # Debian's wrk says "wrk debian/4.1.0-3+b2"; nginx says "nginx/1.22.1".
    found["wrk"] = tool_version(["wrk", "-v"], r"wrk (?:debian/)?(\d+\.\d+\.\d+)")
    found["nginx"] = tool_version(["nginx", "-v"], r"nginx/(\d+\.\d+\.\d+)")
    return found


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- wrk ----------------------------------------------------------------------

# wrk calls done() once at the end; it prints one JSON line we can parse.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, "
    .. "\\"errors\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_window(seconds: int, connections: int, one_request_s: float) -> tuple[int, int]:
    """(run length, per-request timeout) in seconds, fit for a slow route.

    wrk counts only the requests that finish inside its run, and gives up on
    one after its timeout. A route whose single request takes `one_request_s`
    finishes a few in a run of three times that; with `connections` requests
    sharing one server, one may wait for all the others, hence the timeout.
    """
    run = max(seconds, math.ceil(3 * one_request_s))
    return run, max(10, math.ceil(4 * connections * one_request_s))


RETRIES = 2  # longer runs after one with no finished request; each twice as long


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    script: Path,
    one_request_s: float = 0.0,
    before_retry: Callable[[], None] = lambda: None,
) -> dict[str, float]:
    """One wrk run; requests per second and latency percentiles in milliseconds.

    The run lasts `seconds`, or longer for a route whose one request took
    `one_request_s` alone (see wrk_window). If still no request finished in
    it, as can happen on a busy machine, the run is repeated, twice as long,
    after `before_retry` (wait for an idle server): a slow route makes a
    longer run, not a failed one.
    """
    seconds, timeout = wrk_window(seconds, connections, one_request_s)
    report = wrk_once(url, seconds, timeout, connections, script)
    for _ in range(RETRIES):
        if report["requests"] or report["errors"]:
            break
        before_retry()
        seconds *= 2
        report = wrk_once(url, seconds, timeout, connections, script)
    if report["errors"] or not report["requests"]:
        raise RuntimeError(f"wrk saw errors or no requests for {url}: {report}")
    return {
        "rps": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "requests": report["requests"],
        "seconds": seconds,
    }


def wrk_once(
    url: str, seconds: int, timeout: int, connections: int, script: Path
) -> dict[str, int]:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{timeout}s",
        "-s",
        str(script),
        url,
    ]
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + timeout + 30,
        check=True,
    )
    line = next((x for x in run.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no report:\n{run.stdout}{run.stderr}")
    return json.loads(line.removeprefix("WRK-JSON "))


def counted(
    port: int, path: str, *, requests: int, connections: int, timeout: float = 300.0
) -> dict[str, float]:
    """Time exactly `requests` GETs, `connections` of them in flight at once.

    For routes too slow for wrk: a wrk run of a few seconds finishes only a
    handful of their requests and drops the ones still in flight at its end.
    Here every request counts, and the rate is requests over the time from
    the first request sent to the last response received.
    """
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        timings = list(
            pool.map(lambda _: timed_get(port, path, timeout=timeout), range(requests))
        )
    elapsed = time.perf_counter() - start
    if any(t.status != 200 for t in timings):
        raise RuntimeError(f"GET {path} did not answer 200")
    ms = sorted(t.total_s * 1e3 for t in timings)
    return {
        "rps": requests / elapsed,
        "p50_ms": statistics.median(ms),
        # The nearest-rank 99th percentile; report.py shows it only past 100.
        "p99_ms": ms[min(len(ms) - 1, math.ceil(0.99 * len(ms)) - 1)],
        "requests": requests,
        "seconds": elapsed,
    }


def round_order(items: tuple, repeat: int, repeats: int) -> list:
    """The order to measure `items` in round `repeat`: shifted, odd rounds reversed.

    Round r starts r/repeats of the way along the list; odd rounds then run
    it backwards. With ten items and three rounds, each round has another
    item first and last, and rounds next to each other share no neighbours;
    rounds 0 and 2 both run forwards, so they share most (docs say so).
    """
    shift = repeat * len(items) // max(repeats, 1)
    order = [*items[shift:], *items[:shift]]
    return order[::-1] if repeat % 2 else order


# --- a small blocking HTTP client that times one download -----------------------


@dataclass(frozen=True)
class Timed:
    status: int
    ttfb_s: float  # request sent -> first byte of the body received
    total_s: float  # request sent -> connection closed after the last byte
    body_bytes: int  # bytes after the header block (chunk framing included)


def timed_get(
    port: int,
    path: str,
    *,
    timeout: float = 60.0,
    headers: dict[str, str] | None = None,
) -> Timed:
    """GET with `Connection: close`, reading into one reused buffer until EOF."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{extra}Connection: close\r\n\r\n"
    ).encode()
    buffer = bytearray(4 * 2**20)
    view = memoryview(buffer)
    deadline = time.monotonic() + timeout
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        start = time.perf_counter()
        conn.sendall(request)
        head = b""
        ttfb = None
        received = 0
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path} took over {timeout} s")
            count = conn.recv_into(view)
            if not count:
                break
            if ttfb is None:
                head += bytes(view[:count])
                end = head.find(b"\r\n\r\n")
                if end >= 0 and len(head) > end + 4:
                    ttfb = time.perf_counter() - start
                    received = len(head) - end - 4
                    head = head[:end]
            else:
                received += count
        total = time.perf_counter() - start
    if ttfb is None:
        raise RuntimeError(f"GET {path}: no body in {head[:200]!r}")
    status = int(head.split(b" ", 2)[1])
    return Timed(status, ttfb, total, received)


def get_text(port: int, path: str, *, timeout: float = 60.0) -> str:
    """The body of a small GET answered with a Content-Length."""
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        conn.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {path}: {head[:100]!r}")
    return body.decode()


IDLE_TIMEOUT = 300.0  # a backlog longer than this is a bug, not a slow machine


def wait_idle(port: int, *, timeout: float = IDLE_TIMEOUT) -> None:
    """Wait until the server works on no request (tools/bench/inflight.py).

    Two readings of 0, 50 ms apart, so a request still in a socket buffer
    when the first one was read has had time to start.
    """
    zeros = 0

    def idle_twice() -> bool:
        nonlocal zeros
        idle = get_text(port, "/__inflight", timeout=timeout) == "0"
        zeros = zeros + 1 if idle else 0
        return zeros >= 2

    wait_until(
        idle_twice,
        timeout,
        interval=0.05,
        waiting_for=f"the server on port {port} to finish its requests",
    )
