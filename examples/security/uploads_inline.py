"""Mistake: serves an upload inline with the type its sender chose, so its script runs."""

# --8<-- [start:app]
import secrets

from fastapi import FastAPI, HTTPException, Request, Response

MAX_BYTES = 64 * 1024  # an upload over this is refused with 413
MAX_FILES = 100  # the oldest upload is dropped to make room

app = FastAPI()
uploads: dict[str, tuple[bytes, str]] = {}


async def read_bounded(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BYTES:
            raise HTTPException(413, "Upload too large")
    return bytes(body)


@app.post("/uploads", status_code=201)
async def upload(request: Request) -> dict[str, str]:
    body = await read_bounded(request)
    media_type = request.headers.get("content-type", "application/octet-stream")
    if len(uploads) >= MAX_FILES:
        uploads.pop(next(iter(uploads)))
    file_id = secrets.token_urlsafe(8)  # a name you chose, never the sender's
    uploads[file_id] = (body, media_type)
    return {"id": file_id}


@app.get("/uploads/{file_id}")
def uploaded(file_id: str) -> Response:
    if file_id not in uploads:
        raise HTTPException(404, "No such upload")
    body, media_type = uploads[file_id]
    return Response(body, media_type=media_type)  # shown inline, as its sender said


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    headers = {"content-type": "image/svg+xml"}
    file_id = client.post("/uploads", content=svg, headers=headers).json()["id"]
    response = client.get(f"/uploads/{file_id}")
    print(response.status_code, response.headers["content-type"])
    #> 200 image/svg+xml
    print(response.headers.get("content-disposition"), response.text[-31:])
    #> None <script>alert(1)</script></svg>
    # --8<-- [end:try_it]
