"""Test-only app: when does cleanup run after a client leaves a stream on uvicorn?

Four endless streams, each pausing PAUSE seconds between items: server-sent
events from an async and from a sync generator, and StreamingResponse from an
async and from a sync generator. Each takes a `client` query parameter, uses a
yield dependency and has a `finally` in its generator; both record the moment
(time.monotonic(), which is system-wide on Linux, so a test in another process
can compare it with its own clock) in CLEANUPS. GET /__cleanups reads them,
POST /__collect runs the garbage collector, GET /__asgi shows the ASGI versions
the server declares in the request scope. No example of the guide exposes
this server-side state over HTTP, hence this app.
"""

import asyncio
import gc
import time
from collections.abc import AsyncIterable, Iterable, Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
PAUSE = 0.2  # seconds between items
CLEANUPS: dict[str, dict[str, float]] = {}


def record(client: str, what: str) -> None:
    CLEANUPS.setdefault(client, {})[what] = time.monotonic()


def subscription(client: str) -> Iterator[str]:
    record(client, "opened")
    try:
        yield client
    finally:
        record(client, "dependency")


Client = Annotated[str, Depends(subscription)]


@app.get("/sse/async", response_class=EventSourceResponse)
async def sse_async(client: Client) -> AsyncIterable[ServerSentEvent]:
    try:
        number = 0
        while True:
            number += 1
            yield ServerSentEvent(data=number)
            await asyncio.sleep(PAUSE)
    finally:
        record(client, "generator")


@app.get("/sse/sync", response_class=EventSourceResponse)
def sse_sync(client: Client) -> Iterable[ServerSentEvent]:
    try:
        number = 0
        while True:
            number += 1
            yield ServerSentEvent(data=number)
            time.sleep(PAUSE)
    finally:
        record(client, "generator")


async def async_lines(client: str):
    try:
        number = 0
        while True:
            number += 1
            yield f"line {number}\n"
            await asyncio.sleep(PAUSE)
    finally:
        record(client, "generator")


def sync_lines(client: str):
    try:
        number = 0
        while True:
            number += 1
            yield f"line {number}\n"
            time.sleep(PAUSE)
    finally:
        record(client, "generator")


@app.get("/stream/async")
def stream_async(client: Client):
    return StreamingResponse(async_lines(client), media_type="text/plain")


@app.get("/stream/sync")
def stream_sync(client: Client):
    return StreamingResponse(sync_lines(client), media_type="text/plain")


@app.get("/__cleanups")
def cleanups() -> dict[str, dict[str, float]]:
    return CLEANUPS


@app.post("/__collect")
def collect() -> int:
    return gc.collect()


@app.get("/__asgi")
def asgi_versions(request: Request) -> dict[str, str] | None:
    return request.scope.get("asgi")
