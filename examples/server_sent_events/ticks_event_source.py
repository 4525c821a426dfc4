"""A live feed of ticks as server-sent events, with FastAPI's EventSourceResponse."""

# --8<-- [start:app]
import asyncio
from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
INTERVAL = 0.01  # seconds between ticks; a real feed might wait 1 second


@app.get("/ticks", response_class=EventSourceResponse)
async def ticks(
    count: Annotated[int, Query(ge=1, le=100)] = 3,
) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, count + 1):
        yield ServerSentEvent(data={"tick": number}, event="tick", id=str(number))
        await asyncio.sleep(INTERVAL)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    with client.stream("GET", "/ticks", params={"count": 2}) as response:
        for name in ["content-type", "cache-control", "x-accel-buffering"]:
            print(f"{name}: {response.headers[name]}")
            #> content-type: text/event-stream; charset=utf-8
            #> cache-control: no-cache
            #> x-accel-buffering: no
        for line in response.iter_lines():
            print(repr(line))
            #> 'event: tick'
            #> 'data: {"tick": 1}'
            #> 'id: 1'
            #> ''
            #> 'event: tick'
            #> 'data: {"tick": 2}'
            #> 'id: 2'
            #> ''
    # --8<-- [end:try_it]
