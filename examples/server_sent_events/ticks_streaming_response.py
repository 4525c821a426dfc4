"""Server-sent events by hand: a StreamingResponse that formats each event itself."""

# --8<-- [start:app]
import asyncio
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import StreamingResponse

app = FastAPI()
INTERVAL = 0.01  # seconds between ticks


async def tick_events(count: int):
    for number in range(1, count + 1):
        yield f"data: tick {number}\n\n"
        await asyncio.sleep(INTERVAL)


@app.get("/ticks")
async def ticks(count: Annotated[int, Query(ge=1, le=100)] = 3):
    return StreamingResponse(tick_events(count), media_type="text/event-stream")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/ticks", params={"count": 2})
    print(dict(response.headers))
    #> {'content-type': 'text/event-stream; charset=utf-8'}
    print(repr(response.text))
    #> 'data: tick 1\n\ndata: tick 2\n\n'
    # --8<-- [end:try_it]
