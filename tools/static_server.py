"""Serve a directory of static files on a socket inherited from the parent.

    python -m tools.static_server build/site --fd 3

`python -m http.server` can only bind a port itself, which leaves a window in
which another process could take it; tools/servers.py binds the port first and
hands the listening socket over, as it does for uvicorn.
"""

from __future__ import annotations

import argparse
import functools
import socket
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    # HTTP/1.1 so the browser keeps connections alive (every reply has a length).
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass


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
    args = parser.parse_args()

    handler = functools.partial(QuietHandler, directory=str(args.directory))
    server = Server(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = socket.socket(fileno=args.fd)  # already bound and listening
    server.server_address = server.socket.getsockname()
    server.server_name, server.server_port = server.server_address[:2]
    server.serve_forever()


if __name__ == "__main__":
    main()
