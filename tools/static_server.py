"""Serve a directory of static files on a socket inherited from the parent.

    python -m tools.static_server build/site --fd 3

`python -m http.server` can only bind a port itself, which leaves a window in
which another process could take it; tools/servers.py binds the port first and
hands the listening socket over, as it does for uvicorn.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import io
import socket
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar


class QuietHandler(SimpleHTTPRequestHandler):
    # HTTP/1.1 so the browser keeps connections alive (every reply has a length).
    protocol_version = "HTTP/1.1"
    # The Run buttons' worker is an ES module, and Pyodide streams its wasm:
    # browsers need these types whatever the Python's mimetypes table says.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


class GzipHandler(QuietHandler):
    """Compresses each reply for clients that accept gzip, and lets the browser
    keep what it fetched (ETag, revalidated on each use), as the usual static
    hosts do: the bytes a browser counts are what a reader downloads."""

    cache: ClassVar[dict[tuple[str, float], tuple[bytes, str]]] = {}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # its redirect to the path with a slash
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        if key not in self.cache:
            data = path.read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
            self.cache[key] = (gzip.compress(data, compresslevel=6), etag)
        body, etag = self.cache[key]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up early (the readiness probe reads only the
        # status line) is not an error worth a traceback; anything else is.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--gzip", action="store_true", help="compress replies")
    args = parser.parse_args()

    handler = functools.partial(
        GzipHandler if args.gzip else QuietHandler, directory=str(args.directory)
    )
    server = Server(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=args.fd)  # already bound and listening
    server.server_address = server.socket.getsockname()
    server.server_name, server.server_port = server.server_address[:2]
    server.serve_forever()


if __name__ == "__main__":
    main()
