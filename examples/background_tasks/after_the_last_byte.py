"""background= on a returned stream and file: the task runs after the last byte is sent."""

# --8<-- [start:app]
import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

EXPORTS = Path(tempfile.mkdtemp(prefix="exports-"))  # where the CSV files wait


def remove_exports() -> None:
    shutil.rmtree(EXPORTS, ignore_errors=True)


atexit.register(remove_exports)  # a normal exit, such as the end of a test run


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    remove_exports()  # at shutdown: Ctrl-C or SIGTERM, not SIGKILL


app = FastAPI(lifespan=lifespan)

DONE: list[str] = []  # what the tasks did, oldest first


def record(line: str) -> None:
    DONE.append(line)
    del DONE[:-20]  # keep the last twenty


def report_lines(lines: int) -> Iterator[str]:
    for number in range(1, lines + 1):
        yield f"line {number}\n"


@app.get("/report.txt")
def report(lines: int = Query(3, ge=1, le=100)) -> StreamingResponse:
    return StreamingResponse(
        report_lines(lines),
        media_type="text/plain",
        background=BackgroundTask(record, f"sent a report of {lines} lines"),
    )


def temporary_csv() -> Iterator[Path]:
    handle, name = tempfile.mkstemp(dir=EXPORTS, suffix=".csv")
    os.close(handle)
    try:
        yield Path(name)
    finally:  # after the response, whichever response was sent
        Path(name).unlink()


@app.get("/export.csv")
def export(
    path: Annotated[Path, Depends(temporary_csv)],
    rows: int = Query(3, ge=1, le=1000),
) -> FileResponse:
    with path.open("w") as file:
        file.write("id,total\n")
        file.writelines(f"{row},{row * 10}\n" for row in range(1, rows + 1))
    return FileResponse(
        path,
        media_type="text/csv",
        filename="export.csv",
        background=BackgroundTask(record, f"sent an export of {rows} rows"),
    )


@app.get("/done")
def done() -> dict[str, object]:
    return {"tasks": DONE, "exports_on_disk": len(list(EXPORTS.glob("*.csv")))}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/report.txt", params={"lines": 2})
    print(response.status_code, repr(response.text))
    #> 200 'line 1\nline 2\n'
    response = client.get("/export.csv", params={"rows": 2})
    print(response.status_code, response.headers["content-disposition"])
    #> 200 attachment; filename="export.csv"
    print(repr(response.text))
    #> 'id,total\n1,10\n2,20\n'
    response = client.get("/export.csv", headers={"Range": "bytes=abc"})
    print(response.status_code, response.text)
    #> 400 Range header: range must be requested
    after = client.get("/done").json()
    print(after["tasks"], after["exports_on_disk"])
    #> ['sent a report of 2 lines', 'sent an export of 2 rows'] 0
    # --8<-- [end:try_it]
