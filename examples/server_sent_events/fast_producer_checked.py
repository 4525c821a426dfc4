"""Stop producing events once the client has gone, so the stream shuts down cleanly."""

# --8<-- [start:app]
from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()


@app.get("/numbers", response_class=EventSourceResponse)
async def numbers(
    request: Request,
    count: Annotated[int, Query(ge=1, le=5_000)] = 10,
) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, count + 1):
        if await request.is_disconnected():
            break  # the client left: stop before the next event
        yield ServerSentEvent(data=number, id=str(number))


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/numbers", params={"count": 2})
    print(response.text.split("\n\n"))
    #> ['data: 1\nid: 1', 'data: 2\nid: 2', '']
    # --8<-- [end:try_it]
