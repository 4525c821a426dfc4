"""For the Behind nginx tests: nginx with one of the page's config files in
front of a served example, and a GET that notes when each line (or event) of
the body became readable, gzip undone."""

from __future__ import annotations

import re
import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import h11

from tools.nginx import HOST, MAIN, TEMP_PATHS, proxy, run, user_directive

CONFS = Path(__file__).resolve().parents[2] / "examples" / "behind_nginx"


@contextmanager
def nginx(conf: str, upstream_port: int, work: Path) -> Iterator[int]:
    """nginx with examples/behind_nginx/<conf> in front of the app; yields its port."""
    with proxy(CONFS / conf, upstream_port, work) as port:
        yield port


@contextmanager
def site(upstream_port: int, work: Path, http: str = "") -> Iterator[int]:
    """nginx with the whole examples/behind_nginx/site.conf, its two ports
    (uvicorn's 8000, nginx's 80) swapped for the test's, and `http` (say,
    Debian's `gzip on;`) added to its `http` block; yields nginx's port."""
    text = (CONFS / "site.conf").read_text()
    assert text.count("127.0.0.1:8000;") == 1 and text.count("listen 80") == 2

    def config(port: int) -> str:
        main = MAIN.format(user=user_directive(), work=work, log_level="warn")
        temp = TEMP_PATHS.format(work=work)
        body = text.replace("127.0.0.1:8000;", f"{HOST}:{upstream_port};")
        body = body.replace("listen 80", f"listen {HOST}:{port}")
        return f"{main}http {{\n    access_log off;\n    {http}\n{temp}{body}}}\n"

    with run(work, config) as port:
        yield port


@dataclass
class Arrival:
    status: int
    headers: dict[str, str]
    seen: dict[str, float]  # marker -> seconds after the request it became readable
    text: str  # the whole body, decompressed
    complete: bool  # the body ended properly (not cut mid-stream)
    pieces: list[tuple[float, int]] = field(default_factory=list)  # body bytes read
    ended: float = 0.0  # seconds after the request the body ended or was cut


def timed_markers(
    port: int,
    target: str,
    pattern: str = r"line \d+|\"number\": \d+",
    gzip: bool = False,
    timeout: float = 30.0,
    host: str = "e2e",
) -> Arrival:
    """GET `target` over HTTP/1.1 and note when each match of `pattern` could
    first be read (after undoing chunked framing and, if any, gzip)."""
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    if gzip:
        request += "Accept-Encoding: gzip\r\n"
    conn = h11.Connection(h11.CLIENT)
    start = time.monotonic()
    deadline = start + timeout
    head: h11.Response | None = None
    inflate = None
    text, seen, pieces, complete, now = "", {}, [], False, 0.0
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall((request + "\r\n").encode())
        conn.send(h11.Request(method="GET", target=target, headers=[("Host", host)]))
        conn.send(h11.EndOfMessage())
        while not complete and time.monotonic() < deadline:
            try:
                data = sock.recv(65536)
            except ConnectionError:
                data = b""
            now = time.monotonic() - start
            conn.receive_data(data)
            while True:
                try:
                    event = conn.next_event()
                except h11.RemoteProtocolError:  # closed mid-body: cut
                    event = h11.NEED_DATA
                    data = b""
                if event is h11.NEED_DATA:
                    break
                if isinstance(event, h11.Response):
                    head = event
                    encoding = dict(event.headers).get(b"content-encoding")
                    if encoding == b"gzip":
                        inflate = zlib.decompressobj(wbits=31)
                elif isinstance(event, h11.Data):
                    pieces.append((now, len(event.data)))
                    chunk = bytes(event.data)
                    if inflate is not None:
                        chunk = inflate.decompress(chunk)
                    text += chunk.decode()
                    for match in re.finditer(pattern, text):
                        seen.setdefault(match.group(), now)
                elif isinstance(event, h11.EndOfMessage):
                    complete = True
                    break
            if not data:
                break
    assert head is not None, f"no response head from {target}"
    return Arrival(
        head.status_code,
        {k.decode(): v.decode("latin-1") for k, v in head.headers},
        seen,
        text,
        complete,
        pieces,
        now,
    )
