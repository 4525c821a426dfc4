"""Clean up after a client that leaves a long feed, with a yield dependency."""

# --8<-- [start:app]
import asyncio
from collections import Counter
from collections.abc import AsyncIterable, Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
INTERVAL = 0.01  # seconds between events
LIMIT = 10_000  # events; then the stream ends and EventSource reconnects
connected: Counter[str] = Counter()  # client name -> its open streams


def subscription(
    client: Annotated[str, Query(min_length=1, max_length=40)],
) -> Iterator[str]:
    connected[client] += 1  # one more stream: a name may have several
    try:
        yield client
    finally:  # runs when this stream's client goes away
        connected[client] -= 1
        if not connected[client]:
            del connected[client]


@app.get("/feed", response_class=EventSourceResponse)
async def feed(
    client: Annotated[str, Depends(subscription)],
) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, LIMIT + 1):  # ends only when the client leaves, or at LIMIT
        yield ServerSentEvent(data={"to": client, "n": number}, id=str(number))
        await asyncio.sleep(INTERVAL)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # one event loop for all requests
        with client.stream("GET", "/feed", params={"client": "ada"}) as response:
            lines = response.iter_lines()
            print(next(lines))
            #> data: {"to": "ada", "n": 1}
            print(dict(connected))
            #> {'ada': 1}
        print(dict(connected))  # the client has gone
        #> {}
    # --8<-- [end:try_it]
