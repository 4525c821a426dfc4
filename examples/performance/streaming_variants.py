"""The same 1 MiB text body streamed four ways, and slow streams next to small routes."""

# --8<-- [start:app]
import asyncio
import time
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from fastapi.responses import FileResponse, StreamingResponse

LINES = 16_384  # lines of 64 bytes: 1 MiB in all
BATCH = 1_024  # lines per chunk when batched: 64 KiB
SLOW_DELAY = 0.1  # seconds a slow stream waits between chunks
PROBE_FILE = Path(__file__)  # the benchmark points this at a 2 MiB file

app = FastAPI()


def line(number: int) -> str:
    return f"{number:08d} {'x' * 54}\n"


def sync_lines():
    for number in range(LINES):
        yield line(number)


async def async_lines():
    for number in range(LINES):
        yield line(number)


def sync_batches():
    for start in range(0, LINES, BATCH):
        yield "".join(line(number) for number in range(start, start + BATCH))


async def async_batches():
    for start in range(0, LINES, BATCH):
        yield "".join(line(number) for number in range(start, start + BATCH))


@app.get("/sync-lines")
async def sync_lines_stream():
    return StreamingResponse(sync_lines(), media_type="text/plain")


@app.get("/async-lines")
async def async_lines_stream():
    return StreamingResponse(async_lines(), media_type="text/plain")


@app.get("/sync-batches")
async def sync_batches_stream():
    return StreamingResponse(sync_batches(), media_type="text/plain")


@app.get("/async-batches")
async def async_batches_stream():
    return StreamingResponse(async_batches(), media_type="text/plain")


def slow_sync(chunks: int):
    for number in range(chunks):
        yield line(number)
        time.sleep(SLOW_DELAY)  # a blocking wait holds a worker thread


async def slow_async(chunks: int):
    for number in range(chunks):
        yield line(number)
        await asyncio.sleep(SLOW_DELAY)  # holds nothing while it waits


@app.get("/slow-sync")
async def slow_sync_stream(chunks: int = Query(10, ge=1, le=3000)):
    return StreamingResponse(slow_sync(chunks), media_type="text/plain")


@app.get("/slow-async")
async def slow_async_stream(chunks: int = Query(10, ge=1, le=3000)):
    return StreamingResponse(slow_async(chunks), media_type="text/plain")


@app.get("/ping-sync")
def ping_sync():  # a plain def route: runs in a worker thread
    return {"ok": True}


@app.get("/ping-async")
async def ping_async():  # runs on the event loop
    return {"ok": True}


@app.get("/ping-file")
async def ping_file():  # async def, but the file is stat-ed and read in threads
    return FileResponse(PROBE_FILE, media_type="application/octet-stream")


def read_flag():  # a plain def dependency: FastAPI runs it in a worker thread
    return True


@app.get("/ping-dependency")
async def ping_dependency(flag: Annotated[bool, Depends(read_flag)]):
    return {"ok": flag}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    LINES = 2_048  # a 128 KiB body here, so this runs in a moment
    paths = ["/sync-lines", "/async-lines", "/sync-batches", "/async-batches"]
    for path in paths:
        with client.stream("GET", path) as response:
            chunks = [len(chunk) for chunk in response.iter_raw()]
        print(path, len(chunks), "chunks,", sum(chunks), "bytes")
        #> /sync-lines 2048 chunks, 131072 bytes
        #> /async-lines 2048 chunks, 131072 bytes
        #> /sync-batches 2 chunks, 131072 bytes
        #> /async-batches 2 chunks, 131072 bytes

    SLOW_DELAY = 0.01
    for path in ("/slow-sync?chunks=3", "/slow-async?chunks=3"):
        print(path, client.get(path).text.splitlines()[-1][:8])
        #> /slow-sync?chunks=3 00000002
        #> /slow-async?chunks=3 00000002
    print(client.get("/ping-sync").json(), client.get("/ping-async").json())
    #> {'ok': True} {'ok': True}
    print(client.get("/ping-dependency").json(), client.get("/ping-file").status_code)
    #> {'ok': True} 200
    # --8<-- [end:try_it]
