"""FileResponse: range requests, If-Range, etags, resuming, and adding 304s
(docs/files.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.testclient import TestClient

from examples.files import conditional_requests, resume_download
from tests.files_support import PDF, SUMMARY

SIZE = len(PDF)


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


@pytest.mark.parametrize(
    "wanted",
    [
        "bytes=9000-",
        f"bytes={SIZE}-",
        "bytes=5000-6000",
        # One range past the end spoils the whole header, even next to one
        # that could be served.
        "bytes=0-9,9000-",
        "bytes=9000-,0-9",
        "bytes=0-9,abc,9000-",
    ],
)
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
        ("bytes=abc,def", "Range header: range must be requested"),
        # A backwards range is a 400 even next to a good one.
        ("bytes=0-9,5-2", "Range header: start must be less than end"),
    ],
)
def test_malformed_range_gives_400_in_plain_text(
    pdf_client: TestClient, wanted: str, message: str
) -> None:
    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == message


@pytest.mark.parametrize("wanted", ["bytes=0-9,abc", "bytes=abc,0-9", "bytes=0-9,-,x"])
def test_a_part_that_is_not_a_range_is_skipped(
    pdf_client: TestClient, wanted: str
) -> None:
    response = pdf_client.get("/download", headers={"Range": wanted})

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 0-9/{SIZE}"
    assert response.content == PDF[:10]


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


# --- no 304 from FileResponse, and a route that adds it ----------------------

# If-None-Match forms, built from the current etag. RFC 9110 section 13.1.2:
# If-None-Match uses the weak comparison, so W/"x" matches "x"; a list matches
# when any member does; * matches any current representation.
MATCHING = {
    "exact": "{etag}",
    "weak": "W/{etag}",
    "list": '"old", {etag}',
    "list without spaces": '"old",{etag}',
    "list with odd spacing": ' "old" ,\t{etag} , W/"older"',
    "weak in a list": '"old", W/{etag}',
    "star": "*",
    "star with spaces": "  *  ",
}
NOT_MATCHING = {
    "another tag": '"old"',
    "a list of others": '"old", W/"older"',
    "unquoted": "{bare}",
    "a tag with a comma inside": '"old,{bare}"',
    "star in a list": '"old", *',
    "empty": "",
    "garbage": 'W/ W/ "" , ,, "',
    "long": '"x", ' * 2000,
}


def if_none_match(form: str, etag: str) -> str:
    return form.format(etag=etag, bare=etag.strip('"'))


@pytest.mark.parametrize("form", [*MATCHING.values(), *NOT_MATCHING.values()])
def test_file_response_ignores_if_none_match_in_every_form(form: str) -> None:
    client = TestClient(conditional_requests.app)
    etag = client.get("/plain").headers["etag"]

    again = client.get("/plain", headers={"If-None-Match": if_none_match(form, etag)})

    assert again.status_code == 200
    assert again.content == PDF


def test_file_response_ignores_if_modified_since() -> None:
    client = TestClient(conditional_requests.app)
    modified = client.get("/plain").headers["last-modified"]

    again = client.get("/plain", headers={"If-Modified-Since": modified})

    assert (again.status_code, again.content) == (200, PDF)


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


@pytest.mark.parametrize("form", MATCHING.values(), ids=MATCHING.keys())
def test_revalidated_route_answers_304_when_if_none_match_matches(form: str) -> None:
    client = TestClient(conditional_requests.app)
    etag = client.get("/plain").headers["etag"]

    hit = client.get(
        "/revalidated", headers={"If-None-Match": if_none_match(form, etag)}
    )

    assert hit.status_code == 304
    assert hit.content == b""
    assert hit.headers["etag"] == etag
    assert "content-length" not in hit.headers


@pytest.mark.parametrize("form", NOT_MATCHING.values(), ids=NOT_MATCHING.keys())
def test_revalidated_route_sends_the_file_when_nothing_matches(form: str) -> None:
    client = TestClient(conditional_requests.app)
    etag = client.get("/plain").headers["etag"]

    miss = client.get(
        "/revalidated", headers={"If-None-Match": if_none_match(form, etag)}
    )

    assert (miss.status_code, miss.content) == (200, PDF)
    assert miss.headers["etag"] == etag


def test_revalidated_route_without_if_none_match_sends_the_file() -> None:
    response = TestClient(conditional_requests.app).get("/revalidated")

    assert (response.status_code, response.content) == (200, PDF)


def test_a_changed_file_gets_200_with_the_new_etag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "summary.pdf"
    path.write_bytes(PDF)
    monkeypatch.setattr(conditional_requests, "SUMMARY", path)
    client = TestClient(conditional_requests.app)
    old = client.get("/revalidated").headers["etag"]
    path.write_bytes(PDF + b"%% appended")
    os.utime(path, (1_000_000_000, 1_000_000_000))

    response = client.get("/revalidated", headers={"If-None-Match": f"W/{old}"})

    assert response.status_code == 200
    assert response.headers["etag"] != old
    assert response.content == PDF + b"%% appended"
