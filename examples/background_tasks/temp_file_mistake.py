"""Mistake: background= deletes a temporary file, but FileResponse's own answer to a bad Range never runs it."""

# --8<-- [start:app]
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    with tempfile.TemporaryDirectory(prefix="exports-") as folder:
        app.state.exports = Path(folder)  # where this process's CSV files wait
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/export.csv")
def export(request: Request, rows: int = Query(3, ge=1, le=1000)) -> FileResponse:
    with tempfile.NamedTemporaryFile(
        "w", dir=request.app.state.exports, suffix=".csv", delete=False
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
def exports_on_disk(request: Request) -> int:
    return len(list(request.app.state.exports.glob("*.csv")))


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # runs the lifespan: the folder is made
        response = client.get("/export.csv")
        print(response.status_code, client.get("/exports-on-disk").json())
        #> 200 0
        for bad_range in ["bytes=abc", "bytes=99999-"]:
            response = client.get("/export.csv", headers={"Range": bad_range})
            print(response.status_code, client.get("/exports-on-disk").json())
            #> 400 1
            #> 416 2
    # --8<-- [end:try_it]
