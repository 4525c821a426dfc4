"""docs/files.md on a real uvicorn: the headers FileResponse sends, ranges
(one, several, unsatisfiable, If-Range) and HEAD."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.http_clients import raw_get
from tests.files_support import FILE_RESPONSE_HEADERS, PDF
from tools.servers import Server, serve

SIZE = len(PDF)


# --- ranges ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_server() -> Iterator[Server]:
    with serve("examples.files.resume_download:app") as server:
        yield server


def test_uvicorn_adds_date_and_server_to_the_six_headers() -> None:
    with serve("examples.files.download_report:app") as server:
        response = httpx2.get(server.url + "/download")

    assert response.status_code == 200
    assert response.content == PDF
    # The six FileResponse sets, then the two uvicorn adds.
    assert set(response.headers) == FILE_RESPONSE_HEADERS | {"date", "server"}
    assert response.headers["server"] == "uvicorn"
    assert response.headers["date"].endswith(" GMT")


@pytest.mark.parametrize(
    ("wanted", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=500-", 500, SIZE - 1), ("bytes=-81", 500, 580)],
)
def test_single_range_gives_206_and_exactly_those_bytes(
    pdf_server: Server, wanted: str, start: int, end: int
) -> None:
    response = httpx2.get(pdf_server.url + "/download", headers={"range": wanted})

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes {start}-{end}/{SIZE}"
    assert response.headers["content-length"] == str(end - start + 1)
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == PDF[start : end + 1]


def parse_byteranges(content_type: str, body: bytes) -> list[tuple[dict, bytes]]:
    match = re.fullmatch(r"multipart/byteranges; boundary=([0-9a-f]+)", content_type)
    assert match, content_type
    delimiter = b"--" + match.group(1).encode()
    pieces = body.split(delimiter)
    assert pieces[0] == b""  # the body starts with the first delimiter
    assert pieces[-1] == b"--"  # and ends with the closing one
    parts = []
    for piece in pieces[1:-1]:
        assert piece.startswith(b"\r\n") and piece.endswith(b"\r\n")
        head, _, data = piece[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        parts.append((headers, data))
    return parts


def test_several_ranges_give_a_multipart_byteranges_body(pdf_server: Server) -> None:
    response = httpx2.get(
        pdf_server.url + "/download", headers={"range": "bytes=0-9,100-149,-20"}
    )

    assert response.status_code == 206
    assert response.headers["content-length"] == str(len(response.content))
    parts = parse_byteranges(response.headers["content-type"], response.content)
    assert parts == [
        (
            {"Content-Type": "application/pdf", "Content-Range": f"bytes 0-9/{SIZE}"},
            PDF[0:10],
        ),
        (
            {
                "Content-Type": "application/pdf",
                "Content-Range": f"bytes 100-149/{SIZE}",
            },
            PDF[100:150],
        ),
        (
            {
                "Content-Type": "application/pdf",
                "Content-Range": f"bytes {SIZE - 20}-{SIZE - 1}/{SIZE}",
            },
            PDF[-20:],
        ),
    ]


@pytest.mark.parametrize(
    "wanted", [f"bytes={SIZE}-", f"bytes={SIZE + 100}-{SIZE + 200}"]
)
def test_unsatisfiable_range_gives_416_with_the_size(
    pdf_server: Server, wanted: str
) -> None:
    response = httpx2.get(pdf_server.url + "/download", headers={"range": wanted})

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{SIZE}"
    assert response.content == b""


def test_if_range_gives_the_range_only_for_the_current_file(pdf_server: Server) -> None:
    full = httpx2.get(pdf_server.url + "/download")
    etag, modified = full.headers["etag"], full.headers["last-modified"]

    def ask(if_range: str) -> httpx2.Response:
        return httpx2.get(
            pdf_server.url + "/download",
            headers={"range": "bytes=500-", "if-range": if_range},
        )

    for validator in (etag, modified):  # the file is unchanged: the rest of it
        response = ask(validator)
        assert response.status_code == 206
        assert response.content == PDF[500:]
    for validator in ('"another-version"', f"W/{etag}"):  # changed: all of it
        response = ask(validator)
        assert response.status_code == 200
        assert response.content == PDF
        assert "content-range" not in response.headers


# --- HEAD --------------------------------------------------------------------


@pytest.fixture(scope="module")
def head_server() -> Iterator[Server]:
    with serve("examples.files.head_requests:app") as server:
        yield server


def curl_head(curl: str, url: str) -> tuple[str, dict[str, str]]:
    result = subprocess.run(
        [curl, "-sS", "-I", url],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    status, *lines = result.stdout.strip().splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers


def test_get_route_answers_head_with_405(head_server: Server, curl: str) -> None:
    status, headers = curl_head(curl, head_server.url + "/get-only")
    assert status == "HTTP/1.1 405 Method Not Allowed"
    assert headers["allow"] == "GET"

    response = httpx2.head(head_server.url + "/get-only")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.content == b""


def test_get_and_head_route_answers_head_with_the_headers_only(
    head_server: Server, curl: str
) -> None:
    status, headers = curl_head(curl, head_server.url + "/download")
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-length"] == str(SIZE)
    assert headers["content-disposition"] == 'attachment; filename="summary.pdf"'

    got = httpx2.get(head_server.url + "/download")
    head = httpx2.head(head_server.url + "/download")
    assert head.status_code == 200
    assert head.content == b""
    same = {name: got.headers[name] for name in got.headers if name != "date"}
    assert {name: head.headers[name] for name in same} == same
    assert set(head.headers) == set(got.headers)

    # On the wire: the headers, then nothing, though content-length says 581.
    reply = raw_get(head_server.host, head_server.port, b"/download", b"HEAD")
    assert reply.status == 200
    assert reply.headers["content-length"] == str(SIZE)
    assert reply.wire_body == b""
