"""Mistake: a server-sent events feed that raises: EventSource reconnects, again and again."""

# --8<-- [start:app]
import asyncio
from typing import Literal

from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()

JOBS = {"build": ["checkout", "compile", "test"], "deploy": ["checkout", "upload"]}
BROKEN = {"upload"}  # a step that always fails
INTERVAL = 0.01  # seconds each step takes


async def run_step(step: str) -> str:
    await asyncio.sleep(INTERVAL)
    if step in BROKEN:
        raise ConnectionError(f"{step} failed")
    return step


@app.get("/jobs/{job}/events", response_class=EventSourceResponse)
async def job_events(job: Literal["build", "deploy"]):
    for number, step in enumerate(JOBS[job], 1):
        yield ServerSentEvent(data={"step": await run_step(step)}, id=str(number))


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/jobs/deploy/events")
    print(response.status_code, response.headers["content-type"])
    #> 200 text/event-stream; charset=utf-8
    print(response.text)
    """
    data: {"step": "checkout"}
    id: 1
    """
    # --8<-- [end:try_it]
