"""What runs when a client stops reading a stream halfway through."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()
events: list[str] = []


def report_file():  # stands in for a database cursor, a file, a lock...
    events.append("resource opened")
    try:
        yield "report.csv"
    finally:
        events.append("resource closed")


def report_lines(name: str):
    try:
        for number in range(1, 1000):
            yield f"{name} line {number}\n"
    finally:
        events.append("generator finished")


@app.get("/report")
def stream_report(name: Annotated[str, Depends(report_file)]):
    return StreamingResponse(report_lines(name), media_type="text/plain")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # one event loop for all requests
        with client.stream("GET", "/report") as response:
            for line in response.iter_lines():
                print(line)
                #> report.csv line 1
                break  # the client goes away after one line
        print(events[:2])
        #> ['resource opened', 'resource closed']
    # --8<-- [end:try_it]
