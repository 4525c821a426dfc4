"""FileResponse: downloads, ranges, file names, HEAD, large files, safe paths (docs/files.md)."""

from __future__ import annotations

import inspect
import os
import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.testclient import TestClient
from starlette import responses as starlette_responses

from examples.files import (
    conditional_requests,
    download_report,
    head_requests,
    inline_view,
    missing_file,
    non_ascii_filename,
    reports_by_name,
    resume_download,
)
from tests.support import asgi_messages

SUMMARY = Path(download_report.__file__).parent / "reports" / "summary.pdf"
PDF = SUMMARY.read_bytes()
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
    assert set(response.headers) == {
        "content-type",
        "accept-ranges",
        "content-disposition",
        "content-length",
        "last-modified",
        "etag",
    }
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


# --- media type and content-disposition -------------------------------------


def test_inline_shows_the_file_and_guesses_the_type() -> None:
    client = TestClient(inline_view.app)

    view = client.get("/view")
    raw = client.get("/raw")

    assert view.headers["content-type"] == "application/pdf"
    assert view.headers["content-disposition"] == 'inline; filename="summary.pdf"'
    assert raw.headers["content-type"] == "application/pdf"
    assert set(raw.headers) == {
        "content-type",
        "accept-ranges",
        "content-length",
        "last-modified",
        "etag",
    }
    assert view.content == raw.content == PDF


@pytest.mark.parametrize(
    ("path_name", "filename", "expected"),
    [
        ("data.bin", "report.csv", "text/csv; charset=utf-8"),
        ("data.bin", "notes.txt", "text/plain; charset=utf-8"),
        ("page.html", None, "text/html; charset=utf-8"),
        ("picture.png", None, "image/png"),
        ("data.bin", None, "application/octet-stream"),
        ("no_extension", None, "application/octet-stream"),
    ],
)
def test_media_type_is_guessed_from_the_filename_then_the_path(
    tmp_path: Path, path_name: str, filename: str | None, expected: str
) -> None:
    path = tmp_path / path_name
    path.write_bytes(b"x")
    app = FastAPI()

    @app.get("/file")
    def file() -> FileResponse:
        return FileResponse(path, filename=filename)

    assert TestClient(app).get("/file").headers["content-type"] == expected


def test_non_ascii_filename_is_percent_encoded() -> None:
    response = TestClient(non_ascii_filename.app).get("/resume")

    assert (
        response.headers["content-disposition"]
        == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9%202026.pdf"
    )
    assert response.content == PDF


# --- ranges -----------------------------------------------------------------


@pytest.fixture
def pdf_client() -> TestClient:
    return TestClient(resume_download.app)


@pytest.mark.parametrize(
    ("wanted", "start", "end"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=-5", SIZE - 5, SIZE - 1),
        ("bytes=570-", 570, SIZE - 1),
        ("bytes=100-100", 100, 100),
        ("bytes=0-99999", 0, SIZE - 1),
    ],
)
def test_single_range_gives_206_with_content_range(
    pdf_client: TestClient, wanted: str, start: int, end: int
) -> None:
    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes {start}-{end}/{SIZE}"
    assert response.headers["content-length"] == str(end - start + 1)
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == PDF[start : end + 1]


def test_several_ranges_give_a_multipart_body_with_a_random_boundary(
    pdf_client: TestClient,
) -> None:
    first = pdf_client.get("/download", headers={"Range": "bytes=0-3,10-13"})
    second = pdf_client.get("/download", headers={"Range": "bytes=0-3,10-13"})

    assert first.status_code == 206
    match = re.fullmatch(
        r"multipart/byteranges; boundary=([0-9a-f]{26})", first.headers["content-type"]
    )
    assert match
    boundary = match[1]
    assert boundary not in second.headers["content-type"]
    assert "content-range" not in first.headers
    assert first.headers["content-length"] == str(len(first.content))
    assert first.content == (
        f"--{boundary}\r\nContent-Type: application/pdf\r\n"
        f"Content-Range: bytes 0-3/{SIZE}\r\n\r\n".encode()
        + PDF[0:4]
        + f"\r\n--{boundary}\r\nContent-Type: application/pdf\r\n"
        f"Content-Range: bytes 10-13/{SIZE}\r\n\r\n".encode()
        + PDF[10:14]
        + f"\r\n--{boundary}--".encode()
    )


def test_more_than_100_ranges_are_ignored(pdf_client: TestClient) -> None:
    wanted = "bytes=" + ",".join(f"{i}-{i}" for i in range(0, 202, 2))

    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 200
    assert response.content == PDF


@pytest.mark.parametrize("wanted", ["bytes=9000-", f"bytes={SIZE}-", "bytes=5000-6000"])
def test_unsatisfiable_range_gives_416(pdf_client: TestClient, wanted: str) -> None:
    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("bytes=abc", "Range header: range must be requested"),
        ("bytes=5-2", "Range header: start must be less than end"),
        ("items=0-5", "Only support bytes range"),
        ("bytes", "Malformed range header."),
        ("bytes=", "Range header: range must be requested"),
    ],
)
def test_malformed_range_gives_400_in_plain_text(
    pdf_client: TestClient, wanted: str, message: str
) -> None:
    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == message


def test_if_range_with_the_current_validator_gives_the_range(
    pdf_client: TestClient,
) -> None:
    full = pdf_client.get("/download")

    for validator in (full.headers["etag"], full.headers["last-modified"]):
        response = pdf_client.get(
            "/download", headers={"Range": "bytes=0-9", "If-Range": validator}
        )
        assert response.status_code == 206
        assert response.content == PDF[:10]


def test_if_range_with_another_validator_gives_the_whole_file(
    pdf_client: TestClient,
) -> None:
    etag = pdf_client.get("/download").headers["etag"]

    for validator in ('"an-old-etag"', f"W/{etag}", "Mon, 01 Jan 2024 00:00:00 GMT"):
        response = pdf_client.get(
            "/download", headers={"Range": "bytes=0-9", "If-Range": validator}
        )
        assert response.status_code == 200
        assert response.content == PDF


def test_etag_changes_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "growing.bin"
    path.write_bytes(b"a" * 10)
    app = FastAPI()

    @app.get("/file")
    def file() -> FileResponse:
        return FileResponse(path)

    client = TestClient(app)
    before = client.get("/file").headers["etag"]
    path.write_bytes(b"a" * 20)
    os.utime(path, (1_000_000_000, 1_000_000_000))

    assert client.get("/file").headers["etag"] != before


def test_etag_is_an_md5_of_modification_time_and_size() -> None:
    import hashlib

    stat = SUMMARY.stat()
    base = f"{stat.st_mtime}-{stat.st_size}".encode()
    digest = hashlib.md5(base, usedforsecurity=False).hexdigest()

    assert FileResponse(SUMMARY, stat_result=stat).headers["etag"] == f'"{digest}"'


def test_resumed_download_joins_to_the_identical_file(pdf_client: TestClient) -> None:
    for have in (1, 200, 512, SIZE - 1):
        first = pdf_client.get("/download", headers={"Range": f"bytes=0-{have - 1}"})
        rest = pdf_client.get(
            "/download",
            headers={"Range": f"bytes={have}-", "If-Range": first.headers["etag"]},
        )
        assert rest.status_code == 206
        assert rest.headers["content-range"] == f"bytes {have}-{SIZE - 1}/{SIZE}"
        assert first.content + rest.content == PDF


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


# --- no 304 -----------------------------------------------------------------


def test_file_response_never_answers_304() -> None:
    client = TestClient(conditional_requests.app)
    first = client.get("/plain")

    for headers in (
        {"If-None-Match": first.headers["etag"]},
        {"If-Modified-Since": first.headers["last-modified"]},
    ):
        again = client.get("/plain", headers=headers)
        assert again.status_code == 200
        assert again.content == PDF


def test_static_files_does_answer_304() -> None:
    from fastapi.staticfiles import StaticFiles

    app = FastAPI()
    app.mount("/static", StaticFiles(directory=SUMMARY.parent))
    client = TestClient(app)
    etag = client.get("/static/summary.pdf").headers["etag"]

    assert (
        client.get("/static/summary.pdf", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_revalidated_route_answers_304_only_for_the_current_etag() -> None:
    client = TestClient(conditional_requests.app)
    etag = client.get("/plain").headers["etag"]

    hit = client.get("/revalidated", headers={"If-None-Match": etag})
    listed = client.get("/revalidated", headers={"If-None-Match": f'"x", {etag}'})
    miss = client.get("/revalidated", headers={"If-None-Match": '"x"'})
    plain = client.get("/revalidated")

    assert (hit.status_code, hit.content, hit.headers["etag"]) == (304, b"", etag)
    assert listed.status_code == 304
    assert (miss.status_code, miss.content) == (200, PDF)
    assert (plain.status_code, plain.content) == (200, PDF)


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


# --- serving by name from a fixed folder --------------------------------------


@pytest.fixture
def reports_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reports folder in tmp_path, with a secret next to it and symlinks."""
    base = tmp_path / "reports"
    (base / "2026").mkdir(parents=True)
    (base / "summary.pdf").write_bytes(PDF)
    (base / "2026" / "q1.pdf").write_bytes(b"q1")
    (tmp_path / "secret.txt").write_text("do not serve me")
    (base / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (base / "escape_dir").symlink_to(tmp_path)
    (base / "alias.pdf").symlink_to(base / "summary.pdf")
    monkeypatch.setattr(reports_by_name, "REPORTS", base.resolve())
    return base


def test_report_by_name_serves_files_in_the_folder(reports_dir: Path) -> None:
    client = TestClient(reports_by_name.app)

    summary = client.get("/reports/summary.pdf")
    q1 = client.get("/reports/2026/q1.pdf")
    alias = client.get("/reports/alias.pdf")

    assert (summary.status_code, summary.content) == (200, PDF)
    assert (q1.status_code, q1.content) == (200, b"q1")
    assert q1.headers["content-disposition"] == 'attachment; filename="q1.pdf"'
    assert (alias.status_code, alias.content) == (200, PDF)
    assert alias.headers["content-disposition"] == 'attachment; filename="summary.pdf"'


BAD_NAMES = [
    "%2e%2e%2fsecret.txt",
    "%2E%2E%2Fsecret.txt",
    "2026%2f%2e%2e%2f%2e%2e%2fsecret.txt",
    "%2e%2e",
    "%2e",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2fetc%2fpasswd",
    "/etc/passwd",
    "escape.txt",
    "escape_dir/secret.txt",
    "escape_dir/reports/summary.pdf%2f%2e%2e%2f%2e%2e%2fsecret.txt",
    "2026",
    "missing.pdf",
    "summary.pdf%00.txt",
    "%00",
    "a" * 300,
    "a" * 5000,
    ("d" * 200 + "/") * 30 + "x.pdf",
    "%ff%fe.pdf",
    "..%5csecret.txt",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_report_by_name_refuses_bad_names_with_404(
    reports_dir: Path, name: str
) -> None:
    response = TestClient(reports_by_name.app).get(f"/reports/{name}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Report not found"}


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "../../../../etc/passwd",
        "/etc/passwd",
        "2026/../../secret.txt",
        "summary.pdf\x00",
        "a" * 5000,
        "escape.txt",
        "escape_dir/secret.txt",
        "",
        ".",
    ],
)
def test_find_report_refuses_names_outside_the_folder(
    reports_dir: Path, name: str
) -> None:
    from fastapi import HTTPException

    with pytest.raises(HTTPException) as caught:
        reports_by_name.find_report(name)

    assert caught.value.status_code == 404


def test_raw_dot_dot_paths_reach_the_handler_and_get_404(reports_dir: Path) -> None:
    # A server passes "/reports/../secret.txt" on as it is (curl --path-as-is),
    # where an HTTP client library would have tidied the dots away first.
    for path in ("/reports/../secret.txt", "/reports/2026/../../secret.txt"):
        messages = asgi_messages(reports_by_name.app, path)
        assert messages[0]["status"] == 404
        assert b"do not serve me" not in b"".join(m.get("body", b"") for m in messages)


def test_without_the_check_the_same_names_leak_files(reports_dir: Path) -> None:
    app = FastAPI()

    @app.get("/reports/{name:path}")
    def naive(name: str) -> FileResponse:
        return FileResponse(reports_dir / name)

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/reports/%2e%2e%2fsecret.txt").text == "do not serve me"
    assert client.get("/reports/escape.txt").text == "do not serve me"
    assert client.get("/reports/%2fetc%2fpasswd").status_code == 200
    assert client.get("/reports/missing.pdf").status_code == 500


def test_very_long_name_raises_oserror_without_the_guard(reports_dir: Path) -> None:
    with pytest.raises(OSError, match="File name too long"):
        (reports_dir / ("a" * 5000)).resolve().is_file()


def test_overlapping_ranges_are_merged(pdf_client: TestClient) -> None:
    response = pdf_client.get("/download", headers={"Range": "bytes=0-5,3-9"})

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 0-9/{SIZE}"
    assert response.content == PDF[:10]


def test_ranges_are_ignored_when_status_code_is_not_200() -> None:
    app = FastAPI()

    @app.get("/download")
    def download() -> FileResponse:
        return FileResponse(SUMMARY, status_code=203)

    response = TestClient(app).get("/download", headers={"Range": "bytes=0-9"})

    assert response.status_code == 203
    assert response.content == PDF


def test_quotes_in_a_filename_also_switch_to_the_encoded_form() -> None:
    response = FileResponse(SUMMARY, filename='say "hi".pdf')

    assert (
        response.headers["content-disposition"]
        == "attachment; filename*=utf-8''say%20%22hi%22.pdf"
    )


def test_joining_an_absolute_name_replaces_the_folder() -> None:
    assert Path("/srv/reports") / "/etc/passwd" == Path("/etc/passwd")


def test_nul_byte_raises_value_error_without_the_guard(reports_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"null (byte|character)"):
        (reports_dir / "summary.pdf\x00").resolve().is_file()
