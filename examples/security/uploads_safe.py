"""Serve uploads as downloads, with nosniff and a sandboxing Content-Security-Policy."""

# --8<-- [start:app]
import secrets

from fastapi import FastAPI, HTTPException, Request, Response

MAX_BYTES = 64 * 1024  # an upload over this is refused with 413
MAX_FILES = 100  # the oldest upload is dropped to make room
SAFE_HEADERS = {
    "Content-Disposition": 'attachment; filename="upload.bin"',
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}

app = FastAPI()
# a stand-in, in memory and per process: anyone's uploads push out everyone's;
# a real store is on disk or in object storage, with a quota per user
uploads: dict[str, bytes] = {}


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
    if len(uploads) >= MAX_FILES:
        uploads.pop(next(iter(uploads)))
    file_id = secrets.token_urlsafe(8)  # a name you chose, never the sender's
    uploads[file_id] = body  # the sender's Content-Type is not kept
    return {"id": file_id}


@app.get("/uploads/{file_id}")
def uploaded(file_id: str) -> Response:
    if file_id not in uploads:
        raise HTTPException(404, "No such upload")
    return Response(
        uploads[file_id], media_type="application/octet-stream", headers=SAFE_HEADERS
    )


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
    #> 200 application/octet-stream
    for name in SAFE_HEADERS:
        print(f"{name}: {response.headers[name]}")
        #> Content-Disposition: attachment; filename="upload.bin"
        #> X-Content-Type-Options: nosniff
        #> Content-Security-Policy: default-src 'none'; sandbox
    response = client.post("/uploads", content=b"x" * (MAX_BYTES + 1))
    print(response.status_code, response.json())
    #> 413 {'detail': 'Upload too large'}
    # --8<-- [end:try_it]
