"""Resume a feed after a reconnect from the Last-Event-ID header the browser sends."""

# --8<-- [start:app]
from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
MESSAGES = ["hello", "how are you?", "fine, thanks", "bye"]


@app.get("/messages", response_class=EventSourceResponse)
async def messages(
    last_event_id: Annotated[str | None, Header()] = None,
) -> AsyncIterable[ServerSentEvent]:
    start = int(last_event_id) + 1 if last_event_id else 0
    for index in range(start, len(MESSAGES)):
        yield ServerSentEvent(raw_data=MESSAGES[index], id=str(index))


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for headers in [{}, {"Last-Event-ID": "1"}]:
        response = client.get("/messages", headers=headers)
        lines = [line for line in response.iter_lines() if line]
        print(headers, len(lines) // 2, "events, the first:", lines[:2])
        #> {} 4 events, the first: ['data: hello', 'id: 0']
        #> {'Last-Event-ID': '1'} 2 events, the first: ['data: fine, thanks', 'id: 2']
    # --8<-- [end:try_it]
