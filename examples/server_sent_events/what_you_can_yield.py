"""What each kind of yielded value becomes on the wire under EventSourceResponse."""

# --8<-- [start:app]
from collections.abc import AsyncIterable

from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel

app = FastAPI()


class Price(BaseModel):
    symbol: str
    value: float


@app.get("/mixed", response_class=EventSourceResponse)
async def mixed() -> AsyncIterable[ServerSentEvent | Price | dict | str]:
    yield Price(symbol="ACME", value=12.5)  # a model: JSON in data
    yield {"symbol": "ACME", "value": 12.75}  # a dict: JSON in data
    yield "market open"  # a string: JSON too, so it arrives quoted
    yield ServerSentEvent(raw_data="market open")  # raw_data: sent as it is
    yield ServerSentEvent(data="closing", event="status", id="7", retry=5000)
    yield ServerSentEvent(comment="a comment, ignored by EventSource")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for event in client.get("/mixed").text.split("\n\n")[:-1]:
        print(event.splitlines())
        #> ['data: {"symbol":"ACME","value":12.5}']
        #> ['data: {"symbol":"ACME","value":12.75}']
        #> ['data: "market open"']
        #> ['data: market open']
        #> ['event: status', 'data: "closing"', 'id: 7', 'retry: 5000']
        #> [': a comment, ignored by EventSource']
    # --8<-- [end:try_it]
