"""Mistake: reading a whole file into a string before returning it."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI()

FILES = Path(__file__).parent / "files"
REPORT = FILES / "report.csv"
LOGO = FILES / "logo.png"


@app.get("/report.csv")
def download_report():
    # The whole file, in memory, as one str.
    text = REPORT.read_text(encoding="utf-8")
    return Response(text, media_type="text/csv")


@app.get("/logo.png")
def download_logo():
    # A PNG is not UTF-8 text.
    text = LOGO.read_text(encoding="utf-8")
    return Response(text, media_type="image/png")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    with client.stream("GET", "/report.csv") as response:
        chunks = [len(chunk) for chunk in response.iter_raw()]
    print(response.status_code, REPORT.stat().st_size, chunks)
    #> 200 80006 [80006]

    print(client.get("/logo.png").status_code)
    #> 500
    # --8<-- [end:try_it]
