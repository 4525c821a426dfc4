"""EventSource sends cookies but no Authorization header: sign a feed in with a cookie."""

# --8<-- [start:app]
import asyncio
from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import Cookie, Depends, FastAPI, HTTPException, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
INTERVAL = 0.01  # seconds between events
SESSIONS = {"s3cr3t-ada": "ada"}  # stands in for your session store


def current_user(
    session: Annotated[str | None, Cookie(max_length=64)] = None,
) -> str:
    if session not in SESSIONS:
        raise HTTPException(status_code=401, detail="Not signed in")
    return SESSIONS[session]


@app.get("/notifications", response_class=EventSourceResponse)
async def notifications(
    user: Annotated[str, Depends(current_user)],
    count: Annotated[int, Query(ge=1, le=100)] = 3,
) -> AsyncIterable[ServerSentEvent]:
    for number in range(1, count + 1):
        yield ServerSentEvent(data={"to": user, "n": number}, id=str(number))
        await asyncio.sleep(INTERVAL)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/notifications")
    print(response.status_code, response.json())
    #> 401 {'detail': 'Not signed in'}

    client.cookies.set("session", "s3cr3t-ada")  # what the browser sends
    response = client.get("/notifications", params={"count": 2})
    print(response.status_code, response.text.splitlines()[:2])
    #> 200 ['data: {"to": "ada", "n": 1}', 'id: 1']
    # --8<-- [end:try_it]
