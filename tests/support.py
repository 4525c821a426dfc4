"""Helpers the test modules of several pages share: a raw ASGI call, the body of
a response chunk by chunk, and what the OpenAPI schema documents for a 200.
Polling with a deadline is tools/waiting.py's `wait_until`. Helpers of one page's split test modules live
in tests/<page>_support.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import anyio
from fastapi.testclient import TestClient

__all__ = [
    "Message",
    "asgi_messages",
    "call_asgi",
    "chunks_of",
    "documented_200",
    "scope_for",
]

Message = dict[str, Any]


def scope_for(
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
    spec_version: str | None = "2.3",  # what uvicorn 0.54 declares
) -> dict[str, Any]:
    """An HTTP scope as a server builds it; spec_version=None declares none."""
    scope: dict[str, Any] = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (name.lower().encode(), value.encode())
            for name, value in (headers or {}).items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
        "extensions": extensions or {},
    }
    if spec_version is not None:
        scope["asgi"] = {"version": "3.0", "spec_version": spec_version}
    return scope


async def call_asgi(
    app: Callable[..., Any],
    path: str,
    *,
    on_message: Callable[[Message], None] | None = None,
    **scope: Any,
) -> list[Message]:
    """Call an ASGI app as a server would, with a client that never leaves.

    Returns every message the app sent, unless `on_message` takes them instead
    (so a test of memory use keeps none of them).
    """
    messages: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()  # the client never disconnects
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        if on_message is None:
            messages.append(message)
        else:
            on_message(message)

    await app(scope_for(path, **scope), receive, send)
    return messages


def asgi_messages(app: Callable[..., Any], path: str, **kwargs: Any) -> list[Message]:
    """`call_asgi` on a fresh event loop, from synchronous test code."""
    return anyio.run(partial(call_asgi, app, path, **kwargs))


def chunks_of(app: Callable[..., Any], path: str) -> list[bytes]:
    """The body of a 200 to GET `path`, as the app sent it: one item per ASGI
    body message."""
    with TestClient(app).stream("GET", path) as response:
        assert response.status_code == 200
        return list(response.iter_raw())


def documented_200(app: Any, path: str) -> dict[str, object]:
    """The `content` the app's OpenAPI schema documents for a 200 to GET `path`."""
    openapi = TestClient(app).get("/openapi.json").json()
    return openapi["paths"][path]["get"]["responses"]["200"]["content"]
