"""A path operation that yields: response_class=StreamingResponse sends raw chunks."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


class PlainTextStream(StreamingResponse):
    media_type = "text/plain"


@app.get("/raw", response_class=StreamingResponse)
async def raw_lines():
    for number in range(1, 4):
        yield f"line {number}\n"


@app.get("/text", response_class=PlainTextStream)
async def text_lines():
    for number in range(1, 4):
        yield f"line {number}\n"


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/raw", "/text"]:
        response = client.get(path)
        print(path, response.headers.get("content-type"), repr(response.text))
        #> /raw None 'line 1\nline 2\nline 3\n'
        #> /text text/plain; charset=utf-8 'line 1\nline 2\nline 3\n'
    # --8<-- [end:try_it]
