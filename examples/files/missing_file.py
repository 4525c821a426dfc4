"""Mistake: FileResponse for a file that may be missing: a 500. Check, then 404."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()

REPORTS = Path(__file__).parent / "reports"


@app.get("/unchecked")
def unchecked():
    # FileResponse only looks at the disk when it sends: too late for a 404.
    return FileResponse(REPORTS / "annual.pdf", filename="annual.pdf")


@app.get("/checked")
def checked():
    path = REPORTS / "annual.pdf"
    if not path.is_file():
        raise HTTPException(status_code=404, detail="Report not found")
    return FileResponse(path, filename="annual.pdf")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    # raise_server_exceptions=False: answer like a real server, with a 500.
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/unchecked")
    print(response.status_code, response.text)
    #> 500 Internal Server Error

    response = client.get("/checked")
    print(response.status_code, response.json())
    #> 404 {'detail': 'Report not found'}
    # --8<-- [end:try_it]
