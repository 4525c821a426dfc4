"""Bad requests on a real uvicorn get a clear 4xx, never a 500, and never a file
from outside the served folder (docs/files.md). Every example of the page gets
the hostile requests of tests/hostile.py on a real server too."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import ModuleType

import httpx2
import pytest

from tests.e2e.http_clients import raw_get, raw_http
from tests.files_support import PDF
from tests.hostile import FAILS_ON_PURPOSE, failures, page_examples, routes_of
from tools.servers import Server, serve

SIZE = len(PDF)
SECRET = b"TOP SECRET: outside the reports folder"


@pytest.fixture(scope="module")
def pdf_server() -> Iterator[Server]:
    with serve("examples.files.resume_download:app") as server:
        yield server


# (Range header, status, what the body is). Measured on uvicorn 0.54 (h11).
RANGES = [
    ("bytes=abc", 400, b"Range header: range must be requested"),
    ("bytes=5-2", 400, b"Range header: start must be less than end"),
    ("items=0-5", 400, b"Only support bytes range"),
    ("bytes", 400, b"Malformed range header."),
    ("bytes=", 400, b"Range header: range must be requested"),
    ("bytes=-", 400, b"Range header: range must be requested"),
    ("bytes=1-1-1", 400, b"Range header: range must be requested"),
    ("bytes=0x10-20", 400, b"Range header: range must be requested"),
    # A number past the end: the end is cut to the file's last byte...
    ("bytes=0-" + "9" * 40, 206, PDF),
    ("bytes=-" + "9" * 40, 206, PDF),
    # ...but a start past the end can't be served.
    ("bytes=" + "9" * 40 + "-", 416, b""),
    ("bytes=-0", 416, b""),
    # One range past the end spoils the header; a part that isn't a range is
    # skipped; a backwards range is a 400 even next to a good one.
    ("bytes=0-9,9000-", 416, b""),
    ("bytes=0-9,abc", 206, PDF[:10]),
    ("bytes=0-9,5-2", 400, b"Range header: start must be less than end"),
    # More than FileResponse.max_ranges (100) ranges: the header is ignored.
    ("bytes=" + ",".join(f"{n}-{n}" for n in range(0, 202, 2)), 200, PDF),
    ("bytes=" + ",".join(["0-1"] * 5000), 200, PDF),
]


@pytest.mark.parametrize(
    ("wanted", "status", "body"), RANGES, ids=[wanted[:24] for wanted, *_ in RANGES]
)
def test_malformed_or_odd_range_gets_a_clear_answer(
    pdf_server: Server, wanted: str, status: int, body: bytes
) -> None:
    response = httpx2.get(pdf_server.url + "/download", headers={"range": wanted})

    assert response.status_code == status
    assert response.content == body
    if status == 400:
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
    if status == 416:
        assert response.headers["content-range"] == f"bytes */{SIZE}"


def test_the_416_reason_phrase_is_pythons(pdf_server: Server) -> None:
    reply = raw_http(
        pdf_server.host,
        pdf_server.port,
        b"GET /download HTTP/1.1\r\nHost: e2e\r\nRange: bytes=9000-\r\n"
        b"Connection: close\r\n\r\n",
    )

    # uvicorn takes the phrase from http.HTTPStatus, which renamed it in 3.13:
    # that is why the page writes a bare 416.
    assert reply.status == 416
    if sys.version_info >= (3, 13):
        assert reply.reason == "Range Not Satisfiable"
    else:
        assert reply.reason == "Requested Range Not Satisfiable"


def test_100_ranges_are_still_served(pdf_server: Server) -> None:
    wanted = "bytes=" + ",".join(f"{n}-{n}" for n in range(0, 200, 2))
    response = httpx2.get(pdf_server.url + "/download", headers={"range": wanted})

    assert response.status_code == 206
    assert response.headers["content-type"].startswith("multipart/byteranges; ")
    assert response.content.count(b"\r\nContent-Range: bytes ") == 100


@pytest.mark.parametrize("path", ["/", "/nope", "/download/x", "/DOWNLOAD"])
def test_unknown_path_gets_404(pdf_server: Server, path: str) -> None:
    reply = raw_get(pdf_server.host, pdf_server.port, path.encode())

    assert reply.status == 404
    assert reply.body == b'{"detail":"Not Found"}'


def test_a_trailing_slash_is_redirected_not_404(pdf_server: Server) -> None:
    reply = raw_get(pdf_server.host, pdf_server.port, b"/download/")

    # FastAPI's redirect_slashes: a 307 to the route without the slash, built
    # from the request's Host header.
    assert reply.status == 307
    assert reply.headers["location"] == "http://e2e/download"
    assert reply.body == b""


@pytest.mark.parametrize(
    "method", [b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"BREW", b"get"]
)
def test_unknown_method_gets_405_with_allow(pdf_server: Server, method: bytes) -> None:
    reply = raw_get(pdf_server.host, pdf_server.port, b"/download", method)

    # Methods are case-sensitive: `get` is an unknown method too.
    assert reply.status == 405
    assert reply.headers["allow"] == "GET"
    assert reply.body == b'{"detail":"Method Not Allowed"}'


@pytest.mark.parametrize("method", [b"G@T", b"GE T", b"\x00GET"])
def test_a_method_that_is_not_a_token_gets_400_from_uvicorn(
    pdf_server: Server, method: bytes
) -> None:
    reply = raw_get(pdf_server.host, pdf_server.port, b"/download", method)

    assert reply.status == 400
    assert reply.body == b"Invalid HTTP request received."


# --- path traversal, sent byte for byte on a socket ------------------------


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("traversal")
    reports = root / "reports"
    (reports / "2026").mkdir(parents=True)
    (reports / "summary.txt").write_bytes(b"inside the folder\n")
    (reports / "2026" / "q1.txt").write_bytes(b"first quarter\n")
    (root / "secret.txt").write_bytes(SECRET)
    (reports / "link.txt").symlink_to(root / "secret.txt")
    with serve(
        "examples.files.reports_by_name:app", overrides={"REPORTS": reports}
    ) as server:
        yield server


def test_files_inside_the_folder_are_served(reports_server: Server) -> None:
    """The control: the same server does serve what it should."""
    host, port = reports_server.host, reports_server.port
    assert raw_get(host, port, b"/reports/summary.txt").body == b"inside the folder\n"
    assert raw_get(host, port, b"/reports/2026/q1.txt").body == b"first quarter\n"
    assert raw_get(host, port, b"/reports/2026/../summary.txt").status == 200


TRAVERSALS = [
    b"/reports/../secret.txt",
    b"/reports/../../etc/passwd",
    b"/reports/../../../../../../../../etc/passwd",
    b"/reports/2026/../../secret.txt",
    b"/reports/%2e%2e/secret.txt",
    b"/reports/%2e%2e%2fsecret.txt",
    b"/reports/..%2f..%2f..%2f..%2fetc%2fpasswd",
    b"/reports/%252e%252e%252fsecret.txt",
    b"/reports/..%5csecret.txt",
    b"/reports/%c0%ae%c0%ae/secret.txt",
    b"/reports/....//secret.txt",
    b"/reports//etc/passwd",
    b"/reports/%2fetc%2fpasswd",
    b"/reports/link.txt",  # a symlink pointing out of the folder
    b"/reports/%00",
    b"/reports/summary.txt%00.pdf",
    b"/reports/" + b"a" * 5000,
    b"/reports/2026",  # a folder, not a file
    b"/reports/",
]


@pytest.mark.parametrize(
    "target", TRAVERSALS, ids=[t.decode()[:40] for t in TRAVERSALS]
)
def test_path_traversal_gets_404_and_no_file_outside_the_folder(
    reports_server: Server, target: bytes
) -> None:
    reply = raw_get(reports_server.host, reports_server.port, target)

    assert reply.status == 404
    assert reply.body == b'{"detail":"Report not found"}'
    assert SECRET not in reply.raw
    assert b"root:" not in reply.raw


@pytest.mark.parametrize(
    "target",
    [b"/../../etc/passwd", b"../../etc/passwd", b"http://e2e/reports/../secret.txt"],
)
def test_traversal_outside_the_route_gets_404_too(
    reports_server: Server, target: bytes
) -> None:
    reply = raw_get(reports_server.host, reports_server.port, target)

    assert reply.status == 404
    assert reply.body == b'{"detail":"Not Found"}'
    assert SECRET not in reply.raw


# --- every example of the page, on a real server ------------------------------

EXAMPLES = sorted(page_examples("files"), key=lambda module: module.__name__)


class NewConnectionEachTime:
    """Send each request on its own connection: after an unhandled error's 500,
    uvicorn closes the connection, and a pooled client's next request on it
    would fail with "connection reset"."""

    def __init__(self, url: str) -> None:
        self.url = url

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        content: bytes | None = None,
    ) -> httpx2.Response:
        return httpx2.request(
            method, self.url + path, headers=headers, content=content, timeout=10
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "module", EXAMPLES, ids=[module.__name__.rsplit(".", 1)[1] for module in EXAMPLES]
)
def test_every_example_answers_hostile_requests_with_2xx_to_4xx(
    module: ModuleType,
) -> None:
    # About 30 requests per route, each with a 10 s timeout.
    with serve(f"{module.__name__}:app") as server:
        found = failures(module.app, NewConnectionEachTime(server.url))

    assert routes_of(module.app, found) == FAILS_ON_PURPOSE.get(module, set()), [
        str(failure) for failure in found
    ]
