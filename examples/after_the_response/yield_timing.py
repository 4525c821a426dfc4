"""When the cleanup after a dependency's yield runs: after the response, or before it."""

# --8<-- [start:app]
from collections.abc import Iterator
from typing import Annotated

from fastapi import BackgroundTasks, Depends, FastAPI
from fastapi.responses import StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

app = FastAPI()

EVENTS: list[str] = []  # what happened, in order


def note(event: str) -> None:
    EVENTS.append(event)
    del EVENTS[:-20]


def open_session() -> Iterator[str]:  # the default scope: the whole request
    note("session opened")
    try:
        yield "session"
    finally:
        note("session closed")


def take_lock() -> Iterator[None]:  # scope="function": the route function only
    note("lock taken")
    try:
        yield
    finally:
        note("lock released")


Session = Annotated[str, Depends(open_session)]
Lock = Annotated[None, Depends(take_lock, scope="function")]


@app.get("/report")
def report(session: Session, lock: Lock, tasks: BackgroundTasks) -> dict[str, str]:
    note("route ran")
    tasks.add_task(note, "task ran")
    return {"report": "ready"}


@app.get("/report.txt")
def report_lines(session: Session, lock: Lock) -> StreamingResponse:
    note("route ran")

    def lines() -> Iterator[str]:
        for number in range(2):
            note(f"line {number} made")
            yield f"line {number}\n"

    return StreamingResponse(lines(), media_type="text/plain")


@app.get("/events")
def events() -> list[str]:
    return EVENTS


class NoteWhenSent:
    """Notes the moment the app hands the last piece of a response to the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                note("response sent")

        if scope["type"] == "http" and scope["path"] == "/events":
            await self.app(scope, receive, send)  # reading EVENTS adds none
        else:
            await self.app(scope, receive, sending)


app.add_middleware(NoteWhenSent)
# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    EVENTS.clear()
    print(client.get("/report").json())
    #> {'report': 'ready'}
    print("\n".join(EVENTS))
    """
    session opened
    lock taken
    route ran
    lock released
    response sent
    task ran
    session closed
    """

    EVENTS.clear()
    print(client.get("/report.txt").text, end="")
    """
    line 0
    line 1
    """
    print("\n".join(EVENTS))
    """
    session opened
    lock taken
    route ran
    lock released
    line 0 made
    line 1 made
    response sent
    session closed
    """
    # --8<-- [end:try_it]
