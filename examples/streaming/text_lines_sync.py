"""Stream generated text lines from a plain (sync) generator."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import StreamingResponse

app = FastAPI()


def numbered_lines(count: int):
    for number in range(1, count + 1):
        yield f"line {number}\n"


@app.get("/lines")
def stream_lines(count: Annotated[int, Query(ge=1, le=1000)] = 5):
    return StreamingResponse(numbered_lines(count), media_type="text/plain")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    with client.stream("GET", "/lines", params={"count": 3}) as response:
        print(response.headers["content-type"])
        #> text/plain; charset=utf-8
        print("content-length" in response.headers)
        #> False
        for line in response.iter_lines():
            print(line)
            #> line 1
            #> line 2
            #> line 3
    # --8<-- [end:try_it]
