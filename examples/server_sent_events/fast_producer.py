"""Mistake: an event generator that never waits fills FastAPI's event pipeline, so a
client that leaves makes uvicorn log an error."""

# --8<-- [start:app]
from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()


@app.get("/numbers", response_class=EventSourceResponse)
async def numbers(
    count: Annotated[int, Query(ge=1, le=100_000)] = 10,
) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, count + 1):
        yield ServerSentEvent(data=number, id=str(number))  # never waits


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)  # TestClient shows no error; uvicorn's log does
    with client.stream("GET", "/numbers", params={"count": 100_000}) as response:
        lines = response.iter_lines()
        print([next(lines) for _ in range(3)])
        #> ['data: 1', 'id: 1', '']
    # --8<-- [end:try_it]
