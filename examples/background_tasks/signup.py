"""BackgroundTasks in a route and in its dependency: one list, run in order, def tasks in the thread pool."""

# Runs on a server only: it shows which thread runs each task, and the browser has no threads (there, every task runs on the event loop).

# --8<-- [start:app]
import asyncio
import threading
from typing import Annotated

from fastapi import BackgroundTasks, Depends, FastAPI, Query

app = FastAPI()

DONE: list[str] = []  # what the tasks did, oldest first
EMAIL = r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$"  # no spaces, CR, LF, NUL or slashes


def where() -> str:
    """Where the calling code runs: on the event loop, or in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no event loop in this thread
        return f"thread {threading.current_thread().name!r}"
    return "event loop"


def record(line: str) -> None:
    DONE.append(f"{line} ({where()})")
    del DONE[:-20]  # keep the last twenty


def audit_signup(email: str) -> None:  # def: called in a worker thread
    record(f"audited {email}")


async def send_welcome(email: str) -> None:  # async def: awaited on the loop
    record(f"welcomed {email}")


def audited_email(
    tasks: BackgroundTasks, email: str = Query(max_length=80, pattern=EMAIL)
) -> str:
    tasks.add_task(audit_signup, email)  # the same tasks object as the route's
    return email


@app.post("/signups")
async def sign_up(
    email: Annotated[str, Depends(audited_email)], tasks: BackgroundTasks
) -> dict[str, str]:
    tasks.add_task(send_welcome, email)
    record(f"signed up {email}")
    return {"email": email, "status": "signed up"}


@app.get("/done")
def done() -> list[str]:
    return DONE


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/signups", params={"email": "ada@example.com"})
    print(response.status_code, response.json())
    #> 200 {'email': 'ada@example.com', 'status': 'signed up'}
    for line in client.get("/done").json():
        print(line)
        #> signed up ada@example.com (event loop)
        #> audited ada@example.com (thread 'AnyIO worker thread')
        #> welcomed ada@example.com (event loop)
    # --8<-- [end:try_it]
