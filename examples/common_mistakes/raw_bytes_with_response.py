"""Fix: send bytes in a Response with their media type, and document that type."""

# --8<-- [start:app]
import base64

from fastapi import FastAPI, Response
from fastapi.responses import PlainTextResponse

app = FastAPI()

# A 1x1 PNG, standing in for an image you built in memory (a chart, a QR code).
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
    "AAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@app.get("/greeting", response_class=PlainTextResponse)
def greeting():
    return "hello"


@app.get(
    "/pixel.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def pixel():
    return Response(PIXEL_PNG, media_type="image/png")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/greeting")
    print(response.status_code, response.headers["content-type"], response.text)
    #> 200 text/plain; charset=utf-8 hello

    response = client.get("/pixel.png")
    print(response.status_code, response.headers["content-type"])
    #> 200 image/png
    print(response.content == PIXEL_PNG)
    #> True

    openapi = client.get("/openapi.json").json()
    print(openapi["paths"]["/pixel.png"]["get"]["responses"]["200"]["content"])
    #> {'image/png': {}}
    # --8<-- [end:try_it]
