"""Show a PDF in the browser instead of downloading it; let Starlette guess its type."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/view")
def view_summary():
    # No media_type: it is guessed from the file name.
    return FileResponse(
        SUMMARY, filename="summary.pdf", content_disposition_type="inline"
    )


@app.get("/raw")
def raw_summary():
    # No filename either: no content-disposition header at all.
    return FileResponse(SUMMARY)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/view")
    print(response.headers["content-type"])
    #> application/pdf
    print(response.headers["content-disposition"])
    #> inline; filename="summary.pdf"

    response = client.get("/raw")
    print(response.headers["content-type"])
    #> application/pdf
    print("content-disposition" in response.headers)
    #> False
    # --8<-- [end:try_it]
