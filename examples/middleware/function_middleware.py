"""A function middleware (@app.middleware("http")) around a stream and a background task."""

# --8<-- [start:app]
import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request, Response
from fastapi.responses import StreamingResponse

DELAY = 0.05  # seconds before each tick of /ticks
TASK_SECONDS = 0.05  # how long the background task of /signup works
EVENTS: list[str] = []  # what happened, in order
router = APIRouter()


def note(event: str) -> None:
    EVENTS.append(event)
    del EVENTS[:-20]


@router.get("/ticks")
async def ticks() -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        sent = 0
        try:
            for number in range(20):
                await asyncio.sleep(DELAY)
                yield f"tick {number}\n"
                sent += 1
        finally:
            note(f"stream closed after {sent} ticks")

    return StreamingResponse(lines(), media_type="text/plain")


async def send_welcome() -> None:
    note("task started")
    await asyncio.sleep(TASK_SECONDS)
    note("task done")


@router.post("/signup")
def signup(tasks: BackgroundTasks) -> dict[str, str]:
    tasks.add_task(send_welcome)
    return {"status": "signed up"}


@router.get("/events")
def events() -> list[str]:
    return EVENTS


app = FastAPI()
app.include_router(router)


@app.middleware("http")
async def elapsed_header(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    started = time.perf_counter()
    response = await call_next(request)  # returns once the headers are ready
    response.headers["x-elapsed"] = f"{time.perf_counter() - started:.3f}"
    return response


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/ticks")
    print(response.text.count("tick"), float(response.headers["x-elapsed"]) < 0.5)
    #> 20 True
    response = client.post("/signup")
    print(response.json(), client.get("/events").json())
    """
    {"status": "signed up"}
    ["stream closed after 20 ticks", "task started", "task done"]
    """
    # --8<-- [end:try_it]
