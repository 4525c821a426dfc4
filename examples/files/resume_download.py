"""Range requests: ask FileResponse for part of a file and resume a download."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/download")
def download_summary():
    return FileResponse(SUMMARY, filename="summary.pdf", media_type="application/pdf")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    size = SUMMARY.stat().st_size
    print(size)
    #> 581

    # The first ten bytes.
    response = client.get("/download", headers={"Range": "bytes=0-9"})
    print(response.status_code, response.headers["content-range"], response.content)
    #> 206 bytes 0-9/581 b'%PDF-1.4\n1'

    # The last five bytes, and everything from byte 570 on.
    for wanted in ["bytes=-5", "bytes=570-"]:
        response = client.get("/download", headers={"Range": wanted})
        print(wanted, response.status_code, response.headers["content-range"])
        #> bytes=-5 206 bytes 576-580/581
        #> bytes=570- 206 bytes 570-580/581

    # Two ranges at once come back as one multipart body.
    response = client.get("/download", headers={"Range": "bytes=0-3,10-13"})
    print(response.status_code, response.headers["content-type"].split(";")[0])
    #> 206 multipart/byteranges

    # A range past the end of the file spoils the whole header.
    for wanted in ["bytes=9000-", "bytes=0-9,9000-"]:
        response = client.get("/download", headers={"Range": wanted})
        print(wanted, response.status_code, response.headers["content-range"])
        #> bytes=9000- 416 bytes */581
        #> bytes=0-9,9000- 416 bytes */581

    # A part that isn't a range is skipped; with nothing left, it's a 400.
    response = client.get("/download", headers={"Range": "bytes=0-9,abc"})
    print(response.status_code, response.headers["content-range"])
    #> 206 bytes 0-9/581
    for wanted in ["bytes=abc", "bytes=5-2", "items=0-5"]:
        response = client.get("/download", headers={"Range": wanted})
        print(wanted, response.status_code, response.text)
        #> bytes=abc 400 Range header: range must be requested
        #> bytes=5-2 400 Range header: start must be less than end
        #> items=0-5 400 Only support bytes range
    # --8<-- [end:try_it]

    # --8<-- [start:resume]
    # A client that lost its connection after 200 bytes asks for the rest.
    first_part = client.get("/download", headers={"Range": "bytes=0-199"})
    etag = first_part.headers["etag"]
    rest = client.get(
        "/download",
        headers={"Range": f"bytes={len(first_part.content)}-", "If-Range": etag},
    )
    print(rest.status_code, rest.headers["content-range"])
    #> 206 bytes 200-580/581
    print(first_part.content + rest.content == SUMMARY.read_bytes())
    #> True

    # If the file changed since, its etag changed too: If-Range no longer
    # matches, and the server sends the whole file again with a 200.
    stale = client.get(
        "/download", headers={"Range": "bytes=200-", "If-Range": '"an-old-etag"'}
    )
    print(stale.status_code, len(stale.content))
    #> 200 581
    # --8<-- [end:resume]
