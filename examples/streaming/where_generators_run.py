"""Where Starlette runs a sync generator (worker thread) and an async one (event loop)."""

# --8<-- [start:app]
import asyncio
import threading
import time

from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()
DELAY = 0.01  # seconds of "slow work" per chunk


def where(loop_thread: int) -> str:
    if threading.get_ident() == loop_thread:
        return "event loop thread"
    return "worker thread"


def sync_chunks(loop_thread: int):
    for number in range(2):
        time.sleep(DELAY)  # blocks a worker thread, not the event loop
        yield f"sync {number}: {where(loop_thread)}\n"


async def async_chunks(loop_thread: int):
    for number in range(2):
        await asyncio.sleep(DELAY)  # gives the event loop back while waiting
        yield f"async {number}: {where(loop_thread)}\n"


async def blocking_async_chunks(loop_thread: int):
    for number in range(2):
        time.sleep(DELAY)  # noqa: ASYNC251 - WRONG: freezes the event loop
        yield f"blocking {number}: {where(loop_thread)}\n"


@app.get("/sync")
async def sync_stream():
    loop_thread = threading.get_ident()  # an async endpoint runs on the event loop
    return StreamingResponse(sync_chunks(loop_thread), media_type="text/plain")


@app.get("/async")
async def async_stream():
    loop_thread = threading.get_ident()
    return StreamingResponse(async_chunks(loop_thread), media_type="text/plain")


@app.get("/blocking")
async def blocking_stream():
    loop_thread = threading.get_ident()
    return StreamingResponse(
        blocking_async_chunks(loop_thread), media_type="text/plain"
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/sync", "/async", "/blocking"]:
        for line in client.get(path).iter_lines():
            print(line)
            #> sync 0: worker thread
            #> sync 1: worker thread
            #> async 0: event loop thread
            #> async 1: event loop thread
            #> blocking 0: event loop thread
            #> blocking 1: event loop thread
    # --8<-- [end:try_it]
