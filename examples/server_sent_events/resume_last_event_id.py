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
    last_event_id: Annotated[int | None, Header(ge=0, lt=len(MESSAGES))] = None,
) -> AsyncIterable[ServerSentEvent]:
    start = 0 if last_event_id is None else last_event_id + 1
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
    for bad in ["abc", "-3", "99999", ""]:  # checked before the stream starts
        response = client.get("/messages", headers={"Last-Event-ID": bad})
        print(repr(bad), response.status_code, response.json()["detail"][0]["type"])
        #> 'abc' 422 int_parsing
        #> '-3' 422 greater_than_equal
        #> '99999' 422 less_than
        #> '' 422 int_parsing
    # --8<-- [end:try_it]
