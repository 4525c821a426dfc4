"""Serve an example under uvicorn with some of its module constants replaced.

    python -m tools.launch examples.files.reports_by_name:app --fd 3 \
        --set REPORTS=/tmp/big-files

Real-server tests use this to point an example at a file they made in a
temporary directory, or to slow it down, without changing the example itself.
A replaced value keeps the type of the original (Path, float, int or str). A
dotted name (`--set examples.x.y.INTERVAL=1`) replaces a constant of another
module, such as the example a test-only app wraps.
"""

from __future__ import annotations

import argparse
import importlib
import socket
from pathlib import Path

import uvicorn


def coerce(old: object, text: str) -> object:
    if isinstance(old, Path):
        return Path(text)
    if isinstance(old, bool) or not isinstance(old, int | float):
        return text
    return type(old)(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", help="module:attribute")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--http", default="h11", choices=["h11", "httptools"])
    # asyncio unless asked: uvicorn's "auto" would pick uvloop once installed.
    parser.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    args = parser.parse_args()

    module_name, _, attribute = args.app.partition(":")
    module = importlib.import_module(module_name)
    for assignment in args.set:
        name, _, text = assignment.partition("=")
        # "NAME" is a constant of the served module; "package.module.NAME" of
        # another one (say, the example a test-only app wraps).
        owner_name, _, name = name.rpartition(".")
        owner = importlib.import_module(owner_name) if owner_name else module
        if not hasattr(owner, name):
            parser.error(f"{owner.__name__} has no {name} to replace")
        setattr(owner, name, coerce(getattr(owner, name), text))

    # Not uvicorn's --fd: it wraps the descriptor as an AF_UNIX socket, so
    # accepted TCP connections never get TCP_NODELAY and each keep-alive
    # response waits about 40 ms for the client's delayed ACK. A socket object
    # built from the descriptor reads its real family (AF_INET) from the kernel.
    listener = socket.socket(fileno=args.fd)
    config = uvicorn.Config(
        getattr(module, attribute),
        log_level="warning",
        access_log=False,
        http=args.http,
        loop=args.loop,
    )
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()
