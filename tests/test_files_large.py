"""FileResponse: large files in 64 KiB chunks, memory, and pathsend (docs/files.md)."""

from __future__ import annotations

import inspect
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import FileResponse

from tests.support import asgi_messages

# --- large files: a raw ASGI harness ------------------------------------------


BIG_SIZE = 5 * 1024 * 1024 + 123


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.bin"
    block = bytes(range(256)) * 4096  # 1 MiB
    with path.open("wb") as f:
        for _ in range(5):
            f.write(block)
        f.write(b"z" * 123)
    return path


@pytest.fixture
def big_app(big_file: Path) -> FastAPI:
    app = FastAPI()

    @app.api_route("/big", methods=["GET", "HEAD"])
    def big() -> FileResponse:
        return FileResponse(big_file, filename="big.bin")

    return app


def test_chunk_size_is_64_kib() -> None:
    assert FileResponse.chunk_size == 64 * 1024


def test_large_file_is_sent_in_chunks_of_at_most_64_kib(
    big_app: FastAPI, big_file: Path
) -> None:
    messages = asgi_messages(big_app, "/big")

    start, *bodies = messages
    assert start["type"] == "http.response.start"
    assert start["status"] == 200
    assert all(m["type"] == "http.response.body" for m in bodies)
    sizes = [len(m["body"]) for m in bodies]
    assert max(sizes) == FileResponse.chunk_size
    assert len(bodies) == -(-BIG_SIZE // FileResponse.chunk_size)
    assert [m["more_body"] for m in bodies] == [True] * (len(bodies) - 1) + [False]
    assert b"".join(m["body"] for m in bodies) == big_file.read_bytes()


def test_large_file_is_never_held_in_memory(big_app: FastAPI) -> None:
    sizes: list[int] = []

    def count(message: dict[str, Any]) -> None:  # keep sizes, drop the bytes
        if message["type"] == "http.response.body":
            sizes.append(len(message["body"]))

    asgi_messages(big_app, "/big", on_message=count)  # warm up: imports, thread pool
    sizes.clear()
    tracemalloc.start()
    try:
        asgi_messages(big_app, "/big", on_message=count)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sum(sizes) == BIG_SIZE
    assert peak < BIG_SIZE // 4
    assert peak < 8 * FileResponse.chunk_size  # a few chunks, not the file


def test_large_range_is_chunked_too(big_app: FastAPI, big_file: Path) -> None:
    start_at = 3 * 1024 * 1024 + 7
    messages = asgi_messages(big_app, "/big", headers={"Range": f"bytes={start_at}-"})

    start, *bodies = messages
    assert start["status"] == 206
    assert max(len(m["body"]) for m in bodies) <= FileResponse.chunk_size
    assert b"".join(m["body"] for m in bodies) == big_file.read_bytes()[start_at:]


# --- http.response.pathsend ---------------------------------------------------

PATHSEND = {"http.response.pathsend": {}}


def test_pathsend_hands_the_path_to_the_server(
    big_app: FastAPI, big_file: Path
) -> None:
    messages = asgi_messages(big_app, "/big", extensions=PATHSEND)

    assert [m["type"] for m in messages] == [
        "http.response.start",
        "http.response.pathsend",
    ]
    assert messages[0]["status"] == 200
    assert (b"content-length", str(BIG_SIZE).encode()) in messages[0]["headers"]
    assert messages[1]["path"] == str(big_file)


def test_pathsend_is_not_used_for_ranges_or_head(big_app: FastAPI) -> None:
    ranged = asgi_messages(
        big_app, "/big", headers={"Range": "bytes=0-9"}, extensions=PATHSEND
    )
    head = asgi_messages(big_app, "/big", method="HEAD", extensions=PATHSEND)

    assert [m["type"] for m in ranged] == ["http.response.start", "http.response.body"]
    assert ranged[0]["status"] == 206
    assert ranged[1]["body"] == bytes(range(10))
    assert [m["type"] for m in head] == ["http.response.start", "http.response.body"]
    assert head[1]["body"] == b""


def test_uvicorn_does_not_offer_pathsend() -> None:
    package = Path(uvicorn.__file__).parent
    sources = "".join(p.read_text() for p in package.rglob("*.py"))

    assert "http.response.pathsend" not in sources
    assert "http.response.pathsend" in inspect.getsource(FileResponse)
