"""Each item a generator yields goes out as one piece of the body, unchanged."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


def mixed_chunks():
    yield "short\n"
    yield "a much longer chunk of text\n"
    yield b"raw bytes\n"
    yield "café\n"  # str is encoded as UTF-8


@app.get("/chunks")
def stream_chunks():
    return StreamingResponse(mixed_chunks(), media_type="text/plain")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    with client.stream("GET", "/chunks") as response:
        for chunk in response.iter_raw():
            print(chunk)
            #> b'short\n'
            #> b'a much longer chunk of text\n'
            #> b'raw bytes\n'
            #> b'caf\xc3\xa9\n'
    # --8<-- [end:try_it]
