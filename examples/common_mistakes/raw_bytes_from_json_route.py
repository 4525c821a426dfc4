"""Mistake: returning bytes from a route that sends JSON."""

# --8<-- [start:app]
import base64

from fastapi import FastAPI

app = FastAPI()

# A 1x1 PNG, standing in for an image you built in memory (a chart, a QR code).
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
    "AAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@app.get("/greeting")
def greeting():
    return b"hello"


@app.get("/pixel.png")
def pixel():
    return PIXEL_PNG


@app.get("/pixel-typed.png")
def pixel_typed() -> bytes:
    return PIXEL_PNG


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/greeting")
    print(response.status_code, response.headers["content-type"], response.text)
    #> 200 application/json "hello"

    response = client.get("/pixel.png")
    print(response.status_code, response.text)
    #> 500 Internal Server Error

    response = client.get("/pixel-typed.png")
    print(response.status_code, response.text)
    #> 500 Internal Server Error
    # --8<-- [end:try_it]
