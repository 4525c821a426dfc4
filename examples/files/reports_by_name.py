"""Serve any report from one folder by name, and refuse paths that leave it."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()

REPORTS = (Path(__file__).parent / "reports").resolve()


def find_report(name: str) -> Path:
    """The file `name` points to inside REPORTS, or a 404."""
    try:
        # resolve() removes "..", follows symlinks and makes the path absolute.
        path = (REPORTS / name).resolve()
        found = path.is_relative_to(REPORTS) and path.is_file()
    except (OSError, RuntimeError, ValueError):
        # A name too long, a symlink loop (RuntimeError before Python 3.13),
        # or a NUL byte in the name.
        found = False
    if not found:
        raise HTTPException(status_code=404, detail="Report not found")
    return path


@app.get("/reports/{name:path}")
def get_report(name: str):
    path = find_report(name)
    return FileResponse(path, filename=path.name)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/reports/summary.pdf")
    print(response.status_code, response.headers["content-disposition"])
    #> 200 attachment; filename="summary.pdf"

    for name in ["%2e%2e%2freports_by_name.py", "%2Fetc%2Fpasswd", "nope.pdf"]:
        response = client.get(f"/reports/{name}")
        print(name, response.status_code, response.json())
        #> %2e%2e%2freports_by_name.py 404 {'detail': 'Report not found'}
        #> %2Fetc%2Fpasswd 404 {'detail': 'Report not found'}
        #> nope.pdf 404 {'detail': 'Report not found'}
    # --8<-- [end:try_it]
