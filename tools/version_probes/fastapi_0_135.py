"""FastAPI 0.135: fastapi.sse, with EventSourceResponse, ServerSentEvent and pings.

An EventSourceResponse route streams `text/event-stream`, formats what it
yields as events, and sends `: ping` comments while the generator is quiet.
Before (0.134.0) there is no fastapi.sse module at all.
"""

import asyncio

from _verdict import NOT_BEFORE, verdict

try:
    import fastapi.sse
except ModuleNotFoundError:
    verdict(("fastapi.sse imports", False, False, True))
    raise SystemExit(0) from None

import fastapi.routing
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.testclient import TestClient

fastapi.routing._PING_INTERVAL = 0.05  # the default is 15 seconds

app = FastAPI()


@app.get("/events", response_class=EventSourceResponse)
async def events():
    yield {"n": 1}
    await asyncio.sleep(0.3)
    yield ServerSentEvent(data="hi", event="greet", id="2")


response = TestClient(app).get("/events")
body = response.text
# On a busy machine a ping can come before the first event: compare the events.
without_pings = body.replace(": ping\n\n", "")
verdict(
    ("fastapi.sse imports", True, False, True),
    (
        "status and content-type",
        (response.status_code, response.headers["content-type"].split(";")[0]),
        NOT_BEFORE,
        (200, "text/event-stream"),
    ),
    (
        "first and last event",
        (
            without_pings.startswith('data: {"n": 1}\n\n'),
            without_pings.endswith('event: greet\ndata: "hi"\nid: 2\n\n'),
        ),
        NOT_BEFORE,
        (True, True),
    ),
    ("a ping while the generator sleeps", ": ping\n\n" in body, NOT_BEFORE, True),
)
