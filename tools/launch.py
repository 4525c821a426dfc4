"""Serve an example under an ASGI server with some of its module constants replaced.

    python -m tools.launch examples.files.reports_by_name:app --fd 3 \
        --set REPORTS=/tmp/big-files

Real-server tests use this to point an example at a file they made in a
temporary directory, or to slow it down, without changing the example itself.
A replaced value keeps the type of the original (Path, float, int or str). A
dotted name (`--set examples.x.y.INTERVAL=1`) replaces a constant of another
module, such as the example a test-only app wraps.

`--server` picks the server: uvicorn (the default; `--http` and `--loop` pick
its parser and event loop), hypercorn (asyncio) or granian (its ASGI
interface). uvicorn and hypercorn serve on the socket handed over as `--fd`;
granian binds `--port` itself, and its worker process builds the app through
`configured_app`, which reads the app and the replacements from the
environment.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import socket
from pathlib import Path
from typing import Any

SERVERS = ("uvicorn", "hypercorn", "granian")
_APP = "GUIDE_LAUNCH_APP"
_SETTINGS = "GUIDE_LAUNCH_SET"


def coerce(old: object, text: str) -> object:
    if isinstance(old, Path):
        return Path(text)
    if isinstance(old, bool) or not isinstance(old, int | float):
        return text
    return type(old)(text)


def load(target: str, assignments: list[str]) -> Any:
    """Import `module:attribute` after replacing the named constants."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    for assignment in assignments:
        name, _, text = assignment.partition("=")
        # "NAME" is a constant of the served module; "package.module.NAME" of
        # another one (say, the example a test-only app wraps).
        owner_name, _, name = name.rpartition(".")
        owner = importlib.import_module(owner_name) if owner_name else module
        if not hasattr(owner, name):
            raise SystemExit(f"{owner.__name__} has no {name} to replace")
        setattr(owner, name, coerce(getattr(owner, name), text))
    return getattr(module, attribute)


def configured_app() -> Any:
    """The app named in the environment, constants replaced (granian's factory)."""
    return load(os.environ[_APP], json.loads(os.environ.get(_SETTINGS, "[]")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", help="module:attribute")
    parser.add_argument("--server", default="uvicorn", choices=SERVERS)
    parser.add_argument(
        "--fd", type=int, help="a listening socket (uvicorn, hypercorn)"
    )
    parser.add_argument("--port", type=int, help="the port to bind (granian)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--http", default="h11", choices=["h11", "httptools"])
    # asyncio unless asked: uvicorn's "auto" would pick uvloop once installed.
    parser.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    args = parser.parse_args()

    if args.server == "granian":
        if args.port is None:
            parser.error("granian needs --port")
        serve_granian(args.app, args.set, args.port)
        return
    if args.fd is None:
        parser.error(f"{args.server} needs --fd")
    app = load(args.app, args.set)
    if args.server == "hypercorn":
        serve_hypercorn(app, args.fd)
    else:
        serve_uvicorn(app, args.fd, args.http, args.loop)


def serve_uvicorn(app: Any, fd: int, http: str, loop: str) -> None:
    import uvicorn

    # Not uvicorn's --fd: it wraps the descriptor as an AF_UNIX socket, so
    # accepted TCP connections never get TCP_NODELAY and each keep-alive
    # response waits about 40 ms for the client's delayed ACK. A socket object
    # built from the descriptor reads its real family (AF_INET) from the kernel.
    listener = socket.socket(fileno=fd)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, http=http, loop=loop
    )
    uvicorn.Server(config).run(sockets=[listener])


def serve_hypercorn(app: Any, fd: int) -> None:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"fd://{fd}"]
    config.loglevel = "WARNING"
    config.accesslog = None
    asyncio.run(serve(app, config))


def serve_granian(target: str, assignments: list[str], port: int) -> None:
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    os.environ[_APP] = target
    os.environ[_SETTINGS] = json.dumps(assignments)
    configured_app()  # a wrong name fails here, before a worker starts
    Server(
        "tools.launch:configured_app",
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGI,
        loop=Loops.asyncio,
        factory=True,
        log_level=LogLevels.warning,
    ).serve()


if __name__ == "__main__":
    main()
