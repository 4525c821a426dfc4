"""The clients the real-server tests talk through: raw HTTP/1.1 on a socket
(parsed by h11), several requests on one keep-alive connection, a GET that notes
when each piece arrives, a client that leaves a stream early, and the hash a
download is checked against."""

from __future__ import annotations

import hashlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import h11
import httpx2

MiB = 1024 * 1024


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict[str, str]  # lower-cased names; a repeated header keeps its last
    body: bytes  # as h11 reads it: chunked framing undone
    raw: bytes = field(repr=False)  # every byte the server sent

    @property
    def wire_body(self) -> bytes:
        """What followed the headers on the wire, framing (chunk sizes) included."""
        return self.raw.partition(b"\r\n\r\n")[2]


def parse_response(raw: bytes, method: bytes = b"GET") -> RawResponse:
    """One whole HTTP/1.1 response, read to the end of the connection, by h11.

    h11 must know the request's method (a reply to HEAD has no body); the rest
    of the request does not change how the response is framed.
    """
    conn = h11.Connection(h11.CLIENT)
    conn.send(
        h11.Request(
            method=b"HEAD" if method == b"HEAD" else b"GET",
            target=b"/",
            headers=[(b"host", b"e2e"), (b"connection", b"close")],
        )
    )
    conn.send(h11.EndOfMessage())
    conn.receive_data(raw)
    conn.receive_data(b"")
    head, chunks = None, []
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Response):
            head = event
        elif isinstance(event, h11.Data):
            chunks.append(bytes(event.data))
        elif isinstance(event, h11.EndOfMessage):
            break
        elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
            raise h11.RemoteProtocolError("the connection closed mid-response")
    assert head is not None
    return RawResponse(
        head.status_code,
        head.reason.decode("latin-1"),
        {name.decode(): value.decode("latin-1") for name, value in head.headers},
        b"".join(chunks),
        raw,
    )


def raw_http(
    host: str, port: int, request: bytes, timeout: float = 10.0
) -> RawResponse:
    """Send bytes exactly as given (no client normalises the path) and read to EOF.

    The request should carry `Connection: close` so the server ends the reply.
    """
    raw = read_until_closed(host, port, request, timeout)
    return parse_response(raw, request.split(b" ", 1)[0])


def read_until_closed(
    host: str, port: int, request: bytes, timeout: float = 10.0
) -> bytes:
    """Send `request` and return every byte until the server closes, unparsed
    (a reply cut off mid-body is what some tests look at). A reset counts as
    the close: a server that refuses a request it has not read to the end
    (an oversized header) may reset the connection after its answer."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(request)
        while time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        else:
            raise TimeoutError(f"no end of reply within {timeout} s")
    return b"".join(chunks)


def raw_get(host: str, port: int, target: bytes, method: bytes = b"GET") -> RawResponse:
    return raw_http(
        host,
        port,
        method + b" " + target + b" HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n",
    )


def keep_alive(
    host: str,
    port: int,
    method: str,
    targets: list[str],
    between: Callable[[], object] = lambda: None,
) -> list[bytes]:
    """Send `method` to each target in turn on one keep-alive connection, each
    after the whole answer to the one before, calling `between` in between.

    Returns each answer's raw bytes; b"" once the server has closed the
    connection (a reset counts as closed). Every answer must be a small JSON
    object, which ends at its closing "}", or have no body (a 204 or 304, or
    `content-length: 0`), which ends with its headers.
    """
    length = "" if method in ("GET", "HEAD") else "Content-Length: 0\r\n"

    def answer(connection: socket.socket, target: str) -> bytes:
        received = b""
        try:
            connection.sendall(
                f"{method} {target} HTTP/1.1\r\nHost: e2e\r\n{length}\r\n".encode()
            )
            while not received.endswith(b"}") and not _no_body(received):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
        except ConnectionError:  # a reset instead of a clean close
            pass
        return received

    answers = []
    with socket.create_connection((host, port), timeout=20) as connection:
        for i, target in enumerate(targets):
            if i:
                between()
            answers.append(answer(connection, target))
    return answers


def _no_body(received: bytes) -> bool:
    """Whether `received` is a whole answer that has no body."""
    head, end, rest = received.partition(b"\r\n\r\n")
    if not end or rest:
        return False
    lines = head.lower().split(b"\r\n")
    return lines[0][9:12] in (b"204", b"304") or b"content-length: 0" in lines[1:]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(8 * MiB):
            digest.update(block)
    return digest.hexdigest()


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
