"""Send a PDF from disk as a download with FileResponse."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

# Found next to this file, whatever directory the server was started from.
SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/download")
def download_summary():
    return FileResponse(
        path=SUMMARY,
        filename="summary.pdf",
        media_type="application/pdf",
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/download")
    print(response.status_code, response.headers["content-type"])
    #> 200 application/pdf
    print(response.headers["content-disposition"])
    #> attachment; filename="summary.pdf"
    print(sorted(response.headers))
    """
    [
        "accept-ranges",
        "content-disposition",
        "content-length",
        "content-type",
        "etag",
        "last-modified",
    ]
    """
    print(response.headers["content-length"], len(response.content))
    #> 581 581
    print(response.content[:8])
    #> b'%PDF-1.4'
    # --8<-- [end:try_it]
