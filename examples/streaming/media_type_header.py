"""What the content-type header is with and without media_type on a stream."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


def csv_rows():
    yield "name,price\n"
    yield "Pen,1.5\n"


@app.get("/with-media-type")
def with_media_type():
    return StreamingResponse(csv_rows(), media_type="text/csv")


@app.get("/without-media-type")
def without_media_type():
    return StreamingResponse(csv_rows())


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/with-media-type", "/without-media-type"]:
        response = client.get(path)
        print(path, response.headers.get("content-type"))
        #> /with-media-type text/csv; charset=utf-8
        #> /without-media-type None
    # --8<-- [end:try_it]
