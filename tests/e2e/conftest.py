"""Helpers for the real-server tests: raw HTTP on a socket, curl, timed streams."""

from __future__ import annotations

import hashlib
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest

MiB = 1024 * 1024


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict[str, str]  # lower-cased names; a repeated header keeps its last
    body: bytes
    raw: bytes = field(repr=False)


def raw_http(
    host: str, port: int, request: bytes, timeout: float = 10.0
) -> RawResponse:
    """Send bytes exactly as given (no client normalises the path) and read to EOF.

    The request should carry `Connection: close` so the server ends the reply.
    """
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(request)
        while time.monotonic() < deadline:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        else:
            raise TimeoutError(f"no end of reply within {timeout} s")
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    _, status, reason = status_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawResponse(int(status), reason, headers, body, raw)


def raw_get(host: str, port: int, target: bytes, method: bytes = b"GET") -> RawResponse:
    return raw_http(
        host,
        port,
        method + b" " + target + b" HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n",
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(8 * MiB):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture(scope="session")
def curl() -> str:
    """Debian's curl; the e2e session requires it (see noxfile.py), so no skip."""
    found = shutil.which("curl") or "/usr/bin/curl"
    if not Path(found).exists():
        pytest.fail("curl is needed for the real-server tests: apt-get install curl")
    return found


@dataclass
class TimedStream:
    status: int
    headers: dict[str, str]
    arrivals: list[tuple[float, bytes]]  # (seconds since the request, raw bytes)

    @property
    def body(self) -> bytes:
        return b"".join(chunk for _, chunk in self.arrivals)


def timed_get(url: str, timeout: float = 30.0) -> TimedStream:
    """GET with httpx2, noting when each piece of the body reaches the client."""
    start = time.monotonic()
    arrivals: list[tuple[float, bytes]] = []
    with httpx2.stream("GET", url, timeout=timeout) as response:
        for chunk in response.iter_raw():
            arrivals.append((time.monotonic() - start, chunk))
        return TimedStream(response.status_code, dict(response.headers), arrivals)


def leave_stream(host: str, port: int, target: str, marker: bytes, items: int) -> float:
    """Open a stream on a raw socket, read until `marker` was seen `items` times,
    then close the connection. Returns the monotonic time of the close."""
    seen = b""
    deadline = time.monotonic() + 20
    with socket.create_connection((host, port), timeout=20) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: e2e\r\n\r\n".encode())
        while seen.count(marker) < items:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {items} items from {target}")
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError(f"{target} ended after {seen!r}")
            seen += chunk
    return time.monotonic()
