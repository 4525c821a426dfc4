"""Answer HEAD as well as GET, so a client can check a file before downloading it."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

SUMMARY = Path(__file__).parent / "reports" / "summary.pdf"


@app.get("/get-only")
def get_only():
    return FileResponse(SUMMARY, filename="summary.pdf")


@app.api_route("/download", methods=["GET", "HEAD"])
def download_summary():
    return FileResponse(SUMMARY, filename="summary.pdf")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.head("/get-only")
    print(response.status_code, response.headers["allow"])
    #> 405 GET

    response = client.head("/download")
    print(response.status_code, response.headers["content-length"], response.content)
    #> 200 581 b''
    print(response.headers["content-disposition"])
    #> attachment; filename="summary.pdf"
    # --8<-- [end:try_it]
