"""Starlette 0.42: under ASGI spec 2.4, StreamingResponse stops listening for disconnect.

A raw ASGI harness: receive() counts its calls and never returns; send()
fails with OSError on the first body chunk, as a socket to a client that left
would. When the scope declares spec 2.4, StreamingResponse never calls
receive() and turns the OSError into ClientDisconnect. Below 2.4, or with no
spec_version, it listens for `http.disconnect` (calls receive()) in both
releases. Before (0.41.3) it listened under 2.4 too, and the OSError came out
wrapped in an ExceptionGroup.
"""

import asyncio

from _verdict import verdict
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse


def leaves(group):
    """What a (nested) exception group holds, as "Type: message" strings."""
    found = []
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            found += leaves(error)
        else:
            found.append(f"{type(error).__name__}: {error}")
    return tuple(found)


async def run(spec_version):
    calls = 0

    async def receive():
        nonlocal calls
        calls += 1
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.body" and message.get("body"):
            raise OSError("client gone")

    async def chunks():
        yield b"a"
        yield b"b"

    asgi = {"version": "3.0"}
    if spec_version:
        asgi["spec_version"] = spec_version
    scope = {"type": "http", "asgi": asgi, "method": "GET", "path": "/", "headers": []}
    try:
        await asyncio.wait_for(StreamingResponse(chunks())(scope, receive, send), 10)
        outcome = "completed"
    except ClientDisconnect:
        outcome = "ClientDisconnect"
    except BaseExceptionGroup as group:  # before 0.42
        outcome = (type(group).__name__, leaves(group))
    except BaseException as error:  # noqa: BLE001 (anything else is reported)
        outcome = type(error).__name__
    return calls > 0, outcome


verdict(
    (
        "spec 2.4: listens, and what send's OSError becomes",
        asyncio.run(run("2.4")),
        (True, ("ExceptionGroup", ("OSError: client gone",))),
        (False, "ClientDisconnect"),
    ),
    ("spec 2.3: listens", asyncio.run(run("2.3"))[0], True, True),
    ("no spec_version: listens", asyncio.run(run(None))[0], True, True),
)
