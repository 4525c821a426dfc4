"""Mistake: a gzipped export is guessed as plain CSV; pass its media type."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

EXPORT = Path(__file__).parent / "exports" / "export.csv.gz"


@app.get("/export-guessed")
def export_guessed():
    # Guessed from the name: the ".gz" part is lost.
    return FileResponse(EXPORT, filename="export.csv.gz")


@app.get("/export")
def export():
    return FileResponse(EXPORT, filename="export.csv.gz", media_type="application/gzip")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import gzip
    import mimetypes

    from fastapi.testclient import TestClient

    print(mimetypes.guess_type("export.csv.gz"))
    #> ('text/csv', 'gzip')

    client = TestClient(app)
    for path in ["/export-guessed", "/export"]:
        response = client.get(path)
        encoding = response.headers.get("content-encoding")
        print(path, response.headers["content-type"], encoding, response.content[:2])
        #> /export-guessed text/csv; charset=utf-8 None b'\x1f\x8b'
        #> /export application/gzip None b'\x1f\x8b'
    print(gzip.decompress(response.content).decode().splitlines()[0])
    #> quarter,revenue
    # --8<-- [end:try_it]
