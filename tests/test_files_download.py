"""FileResponse: the download and its headers, missing files and HEAD (docs/files.md)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.testclient import TestClient
from starlette import responses as starlette_responses

from examples.files import (
    download_report,
    head_requests,
    missing_file,
)
from tests.files_support import FILE_RESPONSE_HEADERS, PDF, SUMMARY

SIZE = len(PDF)

STAT_HEADERS = {"content-length", "last-modified", "etag"}


# --- the download -----------------------------------------------------------


def test_shipped_file_is_a_small_pdf() -> None:
    assert PDF.startswith(b"%PDF-1.4\n")
    assert PDF.rstrip().endswith(b"%%EOF")
    assert 200 < SIZE < 1000


def test_download_sends_the_file_with_exactly_these_headers() -> None:
    response = TestClient(download_report.app).get("/download")

    assert response.status_code == 200
    assert response.content == PDF
    assert set(response.headers) == FILE_RESPONSE_HEADERS
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["accept-ranges"] == "bytes"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="summary.pdf"'
    )
    assert response.headers["content-length"] == str(SIZE)
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])
    assert response.headers["last-modified"].endswith(" GMT")


def test_download_works_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert TestClient(download_report.app).get("/download").content == PDF


def test_a_relative_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = FastAPI()

    @app.get("/download")
    def download() -> FileResponse:
        return FileResponse("reports/summary.pdf", filename="summary.pdf")

    client = TestClient(app, raise_server_exceptions=False)
    monkeypatch.chdir(tmp_path)
    assert client.get("/download").status_code == 500

    monkeypatch.chdir(SUMMARY.parent.parent)
    assert client.get("/download").content == PDF


def test_fastapi_file_response_is_starlettes() -> None:
    assert FileResponse is starlette_responses.FileResponse


def test_constructor_arguments() -> None:
    parameters = list(inspect.signature(FileResponse.__init__).parameters)

    assert parameters == [
        "self",
        "path",
        "status_code",
        "headers",
        "media_type",
        "background",
        "filename",
        "stat_result",
        "content_disposition_type",
    ]
    with pytest.raises(TypeError, match="method"):
        FileResponse(SUMMARY, method="GET")  # type: ignore[call-arg]


def test_stat_headers_exist_only_once_the_file_is_looked_at() -> None:
    without = FileResponse(SUMMARY)
    with_stat = FileResponse(SUMMARY, stat_result=SUMMARY.stat())

    assert not STAT_HEADERS & set(without.headers)
    assert set(with_stat.headers) >= STAT_HEADERS
    assert with_stat.headers["content-length"] == str(SIZE)


def test_headers_argument_adds_and_overrides_headers() -> None:
    app = FastAPI()

    @app.get("/download")
    def download() -> FileResponse:
        return FileResponse(
            SUMMARY,
            filename="summary.pdf",
            headers={
                "Cache-Control": "private, max-age=60",
                "Content-Disposition": 'attachment; filename="other.pdf"',
                "ETag": '"my-own-etag"',
            },
        )

    response = TestClient(app).get("/download")

    assert response.headers["cache-control"] == "private, max-age=60"
    assert response.headers["content-disposition"] == 'attachment; filename="other.pdf"'
    assert response.headers["etag"] == '"my-own-etag"'


def test_background_task_runs_after_the_file_is_sent(tmp_path: Path) -> None:
    from starlette.background import BackgroundTask

    copy = tmp_path / "export.pdf"
    copy.write_bytes(PDF)
    app = FastAPI()

    @app.get("/export")
    def export() -> FileResponse:
        return FileResponse(copy, background=BackgroundTask(copy.unlink))

    response = TestClient(app).get("/export")

    assert response.content == PDF
    assert not copy.exists()


# --- missing files, HEAD ----------------------------------------------------


def test_missing_file_is_a_runtime_error_and_a_500() -> None:
    with pytest.raises(
        RuntimeError, match=r"File at path .*annual\.pdf does not exist"
    ):
        TestClient(missing_file.app).get("/unchecked")

    response = TestClient(missing_file.app, raise_server_exceptions=False).get(
        "/unchecked"
    )
    assert response.status_code == 500
    assert response.text == "Internal Server Error"


def test_checking_first_gives_404() -> None:
    response = TestClient(missing_file.app).get("/checked")

    assert response.status_code == 404
    assert response.json() == {"detail": "Report not found"}


def test_a_directory_is_a_runtime_error_too() -> None:
    app = FastAPI()

    @app.get("/dir")
    def directory() -> FileResponse:
        return FileResponse(SUMMARY.parent)

    with pytest.raises(RuntimeError, match="is not a file"):
        TestClient(app).get("/dir")


def test_get_route_answers_head_with_405() -> None:
    response = TestClient(head_requests.app).head("/get-only")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_get_and_head_route_answers_head_with_headers_only() -> None:
    client = TestClient(head_requests.app)

    head = client.head("/download")
    get = client.get("/download")

    assert head.status_code == 200
    assert head.content == b""
    assert get.content == PDF
    assert head.headers == get.headers
    assert head.headers["content-length"] == str(SIZE)


def test_head_with_a_range_gives_206_without_a_body() -> None:
    response = TestClient(head_requests.app).head(
        "/download", headers={"Range": "bytes=0-9"}
    )

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 0-9/{SIZE}"
    assert response.content == b""
