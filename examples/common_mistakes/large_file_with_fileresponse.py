"""Fix: FileResponse sends a file from disk in 64 KiB chunks, as it reads it."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

FILES = Path(__file__).parent / "files"
REPORT = FILES / "report.csv"
LOGO = FILES / "logo.png"


@app.get("/report.csv")
def download_report():
    return FileResponse(REPORT, media_type="text/csv")


@app.get("/logo.png")
def download_logo():
    return FileResponse(LOGO, media_type="image/png")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    with client.stream("GET", "/report.csv") as response:
        chunks = [len(chunk) for chunk in response.iter_raw()]
    print(response.status_code, REPORT.stat().st_size, chunks)
    #> 200 80006 [65536, 14470]

    response = client.get("/logo.png")
    print(response.status_code, response.content == LOGO.read_bytes())
    #> 200 True
    # --8<-- [end:try_it]
