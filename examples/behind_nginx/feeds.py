"""Streams to put behind nginx: text lines, unmarked or marked X-Accel-Buffering: no,
and server-sent events written three ways."""

# --8<-- [start:app]
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
PAUSE = 0.01  # seconds between pieces; the tests make it a whole second
Count = Annotated[int, Query(ge=1, le=20)]
Pad = Annotated[int, Query(ge=0, le=10_000)]  # dots that lengthen each line


async def lines(count: int, pad: int) -> AsyncIterator[str]:
    for number in range(1, count + 1):
        yield f"line {number}{'.' * pad}\n"
        await asyncio.sleep(PAUSE)


@app.get("/lines")
async def stream_lines(count: Count = 3, pad: Pad = 0) -> StreamingResponse:
    return StreamingResponse(lines(count, pad), media_type="text/plain")


@app.get("/lines-unbuffered")
async def stream_lines_unbuffered(count: Count = 3, pad: Pad = 0) -> StreamingResponse:
    return StreamingResponse(
        lines(count, pad),
        media_type="text/plain",
        headers={"X-Accel-Buffering": "no"},
    )


@app.get("/events", response_class=EventSourceResponse)
async def events(count: Count = 3) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, count + 1):
        yield ServerSentEvent(data={"number": number}, id=str(number))
        await asyncio.sleep(PAUSE)


async def event_lines(count: int) -> AsyncIterator[str]:
    for number in range(1, count + 1):
        yield f'data: {{"number": {number}}}\n\n'
        await asyncio.sleep(PAUSE)


# Returned, not yielded: no X-Accel-Buffering, no Cache-Control, no pings.
@app.get("/events-returned")
async def events_returned(count: Count = 3) -> EventSourceResponse:
    return EventSourceResponse(event_lines(count))


# Hand-written SSE: the same bytes, and nothing added either.
@app.get("/events-by-hand")
async def events_by_hand(count: Count = 3) -> StreamingResponse:
    return StreamingResponse(event_lines(count), media_type="text/event-stream")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/lines", "/lines-unbuffered", "/events"]:
        response = client.get(path, params={"count": 2})
        print(path, response.headers.get("x-accel-buffering"), repr(response.text))
        #> /lines None 'line 1\nline 2\n'
        #> /lines-unbuffered no 'line 1\nline 2\n'
        #> /events no 'data: {"number": 1}\nid: 1\n\ndata: {"number": 2}\nid: 2\n\n'
    for path in ["/events", "/events-returned", "/events-by-hand"]:
        headers = client.get(path, params={"count": 1}).headers
        print(path, headers.get("x-accel-buffering"), headers.get("cache-control"))
        #> /events no no-cache
        #> /events-returned None None
        #> /events-by-hand None None
    # --8<-- [end:try_it]
