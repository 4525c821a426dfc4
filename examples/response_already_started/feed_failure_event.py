"""End a failed server-sent events feed with a `failure` event, and answer 204 after it."""

# --8<-- [start:app]
import asyncio
import logging
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.sse import EventSourceResponse, ServerSentEvent

logger = logging.getLogger(__name__)
app = FastAPI()

JOBS = {"build": ["checkout", "compile", "test"], "deploy": ["checkout", "upload"]}
BROKEN = {"upload"}  # a step that always fails
INTERVAL = 0.01  # seconds each step takes
FAILURE = "failure"  # the event's name; not "error" (see the page)
RETRY_MS = 10_000  # how long EventSource waits before it reconnects


async def run_step(step: str) -> str:
    await asyncio.sleep(INTERVAL)
    if step in BROKEN:
        raise ConnectionError(f"{step} failed")
    return step


def not_over(last_event_id: Annotated[str | None, Header(max_length=20)] = None):
    # Runs before the response starts. The last event of every feed has the id
    # "end": a client that reconnects after it gets a 204, and EventSource stops.
    if last_event_id == "end":
        raise HTTPException(status_code=204)


@app.get(
    "/jobs/{job}/events",
    response_class=EventSourceResponse,
    dependencies=[Depends(not_over)],
)
async def job_events(job: Literal["build", "deploy"]):
    steps = JOBS[job]
    try:
        for number, step in enumerate(steps, 1):
            result = await run_step(step)
            yield ServerSentEvent(data={"step": result}, id=str(number), retry=RETRY_MS)
    except Exception:
        # Too late for a status code: log it, then say so in one last event.
        logger.exception("Job %s failed", job)
        yield ServerSentEvent(event=FAILURE, data={"error": "job_failed"}, id="end")
        return
    yield ServerSentEvent(event="done", data={"steps": len(steps)}, id="end")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/jobs/deploy/events")
    print(response.status_code, response.headers["content-type"])
    #> 200 text/event-stream; charset=utf-8
    print(response.text)
    """
    data: {"step": "checkout"}
    id: 1
    retry: 10000

    event: failure
    data: {"error": "job_failed"}
    id: end
    """

    # EventSource reconnects after the stream ends, naming the last id it got.
    response = client.get("/jobs/deploy/events", headers={"Last-Event-ID": "end"})
    print(response.status_code, repr(response.text))
    #> 204 ''
    # --8<-- [end:try_it]
