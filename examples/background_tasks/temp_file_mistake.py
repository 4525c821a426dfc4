"""Mistake: background= deletes a temporary file, but FileResponse's own answer to a bad Range never runs it."""

# --8<-- [start:app]
import atexit
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse
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


@app.get("/export.csv")
def export(rows: int = Query(3, ge=1, le=1000)) -> FileResponse:
    with tempfile.NamedTemporaryFile(
        "w", dir=EXPORTS, suffix=".csv", delete=False
    ) as file:
        file.write("id,total\n")
        file.writelines(f"{row},{row * 10}\n" for row in range(1, rows + 1))
    return FileResponse(
        file.name,
        media_type="text/csv",
        filename="export.csv",
        background=BackgroundTask(Path(file.name).unlink),  # not always run
    )


@app.get("/exports-on-disk")
def exports_on_disk() -> int:
    return len(list(EXPORTS.glob("*.csv")))


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/export.csv")
    print(response.status_code, client.get("/exports-on-disk").json())
    #> 200 0
    for bad_range in ["bytes=abc", "bytes=99999-"]:
        response = client.get("/export.csv", headers={"Range": bad_range})
        print(response.status_code, client.get("/exports-on-disk").json())
        #> 400 1
        #> 416 2
    # --8<-- [end:try_it]
