"""Where Starlette runs a sync generator (worker thread) and an async one (event loop)."""

# Runs on a server only: it starts threads, and the browser has none.

# --8<-- [start:app]
import asyncio
import threading
import time
from contextlib import asynccontextmanager
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import StreamingResponse

DELAY = 0.01  # seconds of "slow work" per chunk
THREADS = 40  # size of AnyIO's worker thread pool (40 is its default)


@asynccontextmanager
async def lifespan(app: FastAPI):
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


app = FastAPI(lifespan=lifespan)


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


def thread_name() -> str:  # a plain `def` dependency runs in a worker thread
    return threading.current_thread().name


@app.get("/quick")
async def quick(thread: Annotated[str, Depends(thread_name)]):
    return {"dependency ran in": thread}


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
    print(client.get("/quick").json())  # an async route, yet it needs a thread
    #> {'dependency ran in': 'AnyIO worker thread'}

    DELAY = 0.8  # each step of /sync now holds a worker thread for 0.8 s
    for THREADS in [40, 1]:
        with TestClient(app) as client:  # runs the lifespan: a pool of THREADS
            busy = threading.Thread(target=client.get, args=["/sync"])
            busy.start()
            time.sleep(DELAY / 2)  # /sync is in its first step, holding a thread
            start = time.monotonic()
            client.get("/quick")
            waited = time.monotonic() - start
            busy.join()
        print(f"pool of {THREADS}: /quick waited for a thread: {waited > DELAY / 4}")
        #> pool of 40: /quick waited for a thread: False
        #> pool of 1: /quick waited for a thread: True
    # --8<-- [end:try_it]
