"""A file from disk sent by FileResponse, and the same file read into memory first."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response

FILES = Path(__file__).parent / "files"  # the benchmark points this at its own folder
# One file in FILES: no "..", no "/", and short enough for any file system.
NAME = PathParam(pattern=r"^[\w-]+\.\w+$", max_length=100)

app = FastAPI()


def existing(name: str) -> Path:
    path = FILES / name
    if not path.is_file():  # missing, or a folder: a 404, not a 500
        raise HTTPException(status_code=404, detail="No such file")
    return path


@app.get("/file-response/{name}")
def file_response(name: str = NAME):
    return FileResponse(existing(name), media_type="application/octet-stream")


@app.get("/in-memory/{name}")
def in_memory(name: str = NAME):
    content = existing(name).read_bytes()  # the whole file, in memory at once
    return Response(content, media_type="application/octet-stream")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import tempfile

    from fastapi.testclient import TestClient

    client = TestClient(app)
    with tempfile.TemporaryDirectory() as folder:
        FILES = Path(folder)
        (FILES / "sample.bin").write_bytes(bytes(range(256)) * 1024)  # 256 KiB
        for path in ("/file-response/sample.bin", "/in-memory/sample.bin"):
            with client.stream("GET", path) as response:
                chunks = [len(chunk) for chunk in response.iter_raw()]
            print(path, response.status_code, chunks)
            #> /file-response/sample.bin 200 [65536, 65536, 65536, 65536]
            #> /in-memory/sample.bin 200 [262144]
    # --8<-- [end:try_it]
