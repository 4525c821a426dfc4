"""GZipMiddleware: what it compresses, the headers it changes, and what a stream does."""

# --8<-- [start:app]
import asyncio
import gzip
from collections.abc import AsyncIterable, AsyncIterator
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
DELAY = 0.05  # seconds before each chunk of the streams


@app.get("/text")
def text(size: Annotated[int, Query(ge=0, le=100_000)] = 100) -> PlainTextResponse:
    return PlainTextResponse("a" * size)


@app.get("/ticks")
async def ticks() -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        for number in range(3):
            await asyncio.sleep(DELAY)
            yield f"tick {number}\n"

    return StreamingResponse(lines(), media_type="text/plain")


@app.get("/events", response_class=EventSourceResponse)
async def events() -> AsyncIterable[ServerSentEvent]:
    for number in range(3):
        await asyncio.sleep(DELAY)
        yield ServerSentEvent(data=f"tick {number}")


@app.get("/packed")
def packed() -> Response:  # a body you compressed yourself
    body = gzip.compress(b"a" * 1000)
    return Response(body, media_type="text/plain", headers={"content-encoding": "gzip"})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)  # it sends accept-encoding: gzip, deflate, ...
    for size in (499, 500):
        headers = client.get("/text", params={"size": size}).headers
        print(size, headers.get("content-encoding"), headers["content-length"])
        #> 499 None 499
        #> 500 gzip 26
    response = client.get("/text", params={"size": 500})
    print(response.headers["vary"], len(response.text))
    #> Accept-Encoding 500
    plain = {"accept-encoding": "identity"}
    headers = client.get("/text", params={"size": 500}, headers=plain).headers
    print(headers.get("content-encoding"), headers["vary"], headers["content-length"])
    #> None Accept-Encoding 500
    for path in ("/ticks", "/events", "/packed"):
        headers = client.get(path).headers
        print(path, headers.get("content-encoding"), headers.get("vary"))
        #> /ticks gzip Accept-Encoding
        #> /events None None
        #> /packed gzip None
    # --8<-- [end:try_it]
