"""A large file read into memory, and FileResponse instead (docs/common_mistakes.md)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from examples.common_mistakes import (
    large_file_read_into_memory,
    large_file_with_fileresponse,
)
from tests.support import chunks_of

MiB = 1024 * 1024
CHUNK = 64 * 1024


def peak_memory_of_download(app: FastAPI, path: str) -> int:
    """Peak memory traced while the app serves `path`; the client drops each chunk."""
    client = TestClient(app)
    with client.stream("GET", path) as response:  # warm up: first-call imports
        for _ in response.iter_raw():
            pass
    tracemalloc.start()
    try:
        with client.stream("GET", path) as response:
            assert response.status_code == 200
            for _ in response.iter_raw():
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def csv_file(folder: Path, size: int) -> Path:
    path = folder / f"report-{size}.csv"
    row = b"1234,Notebook,3,4.00\n"
    path.write_bytes(row * (size // len(row)) + b"x" * (size % len(row)))
    assert path.stat().st_size == size
    return path


# --- 1. A large file read into memory ---------------------------------------

REPORT = large_file_read_into_memory.REPORT
LOGO = large_file_read_into_memory.LOGO


def test_the_examples_serve_the_same_files() -> None:
    assert large_file_with_fileresponse.REPORT == REPORT
    assert large_file_with_fileresponse.LOGO == LOGO
    assert REPORT.stat().st_size > CHUNK  # big enough to need two chunks


def test_read_into_memory_sends_the_whole_file_as_one_chunk() -> None:
    chunks = chunks_of(large_file_read_into_memory.app, "/report.csv")

    assert chunks == [REPORT.read_bytes()]


def test_fileresponse_sends_the_same_file_in_64_kib_chunks() -> None:
    chunks = chunks_of(large_file_with_fileresponse.app, "/report.csv")

    assert [len(c) for c in chunks] == [CHUNK, REPORT.stat().st_size - CHUNK]
    assert b"".join(chunks) == REPORT.read_bytes()


def test_both_send_the_same_headers_that_matter() -> None:
    mistake = TestClient(large_file_read_into_memory.app).get("/report.csv")
    fix = TestClient(large_file_with_fileresponse.app).get("/report.csv")

    for response in (mistake, fix):
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-length"] == str(REPORT.stat().st_size)
    assert mistake.content == fix.content
    assert set(mistake.headers) == {"content-type", "content-length"}
    assert set(fix.headers) == {
        "content-type",
        "content-length",
        "accept-ranges",
        "etag",
        "last-modified",
    }


@pytest.mark.parametrize("size", [2 * MiB, 8 * MiB])
def test_read_into_memory_holds_two_copies_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(large_file_read_into_memory, "REPORT", csv_file(tmp_path, size))

    peak = peak_memory_of_download(large_file_read_into_memory.app, "/report.csv")

    # one copy as the str from read_text(), one as the bytes Response encodes
    assert peak >= 2 * size


def test_read_into_memory_grows_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    peaks = []
    for size in (2 * MiB, 8 * MiB):
        monkeypatch.setattr(
            large_file_read_into_memory, "REPORT", csv_file(tmp_path, size)
        )
        peaks.append(
            peak_memory_of_download(large_file_read_into_memory.app, "/report.csv")
        )

    assert peaks[1] - peaks[0] >= 8 * MiB - 2 * MiB


@pytest.mark.parametrize("size", [2 * MiB, 8 * MiB])
def test_fileresponse_memory_does_not_depend_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(
        large_file_with_fileresponse, "REPORT", csv_file(tmp_path, size)
    )

    peak = peak_memory_of_download(large_file_with_fileresponse.app, "/report.csv")

    assert peak < 1 * MiB


def test_fileresponse_memory_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    peaks = []
    for size in (2 * MiB, 8 * MiB):
        monkeypatch.setattr(
            large_file_with_fileresponse, "REPORT", csv_file(tmp_path, size)
        )
        peaks.append(
            peak_memory_of_download(large_file_with_fileresponse.app, "/report.csv")
        )

    assert abs(peaks[1] - peaks[0]) < CHUNK


def test_fileresponse_chunks_a_large_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(tmp_path, 8 * MiB + 100)
    monkeypatch.setattr(large_file_with_fileresponse, "REPORT", path)

    sizes = [len(c) for c in chunks_of(large_file_with_fileresponse.app, "/report.csv")]

    assert sizes == [CHUNK] * 128 + [100]


def test_reading_a_binary_file_as_text_is_a_500() -> None:
    app = large_file_read_into_memory.app
    response = TestClient(app, raise_server_exceptions=False).get("/logo.png")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    with pytest.raises(UnicodeDecodeError):
        TestClient(app).get("/logo.png")


def test_fileresponse_sends_a_binary_file_unchanged() -> None:
    response = TestClient(large_file_with_fileresponse.app).get("/logo.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == LOGO.read_bytes()
    assert response.content.startswith(b"\x89PNG")
