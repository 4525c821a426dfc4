"""docs/problem_details.md on a real uvicorn: the 500 problem a real client gets
for a bug while uvicorn still logs the exception, HEAD and 304 answers on the
wire, and what uvicorn does with a problem body on a 304.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning the app logged.
"""

from __future__ import annotations

from typing import Any

import httpx2
from fastapi.testclient import TestClient
from pytest_regressions.file_regression import FileRegressionFixture

from examples.problem_details.problem_json import app
from tests.e2e.http_clients import raw_http
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tests.problem_details_support import describe
from tools.servers import ROOT, serve

SECRET = "RuntimeError: secret: the database password is hunter2"
LOG_EXCERPT = ROOT / "examples/problem_details/logs/unexpected_500.txt"
PROBLEM_JSON = "application/problem+json"


def log_excerpt(log: str) -> str:
    """The first two lines of the traceback and its last one."""
    lines = log.splitlines()
    start = lines.index(ASGI_ERROR)
    end = lines.index(SECRET, start)
    return "\n".join([*lines[start : start + 2], "  ...", lines[end]]) + "\n"


def test_a_bug_is_a_generic_500_problem_and_uvicorn_logs_the_exception(
    server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with (
        serve("tests.e2e.apps.problem_details_bug:app") as server,
        httpx2.Client(base_url=server.url, timeout=10) as client,
    ):
        response = client.get("/bug")
        log = server_log.wait_for(SECRET, waiting_for="uvicorn to log the exception")
        after = httpx2.get(f"{server.url}/items/1", timeout=10)

    # The client: a problem, nothing from the exception.
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Something went wrong on our side.",
    }
    assert "hunter2" not in response.text
    # The server: the whole exception, once.
    assert log.count(ASGI_ERROR) == 1
    assert 'File "/' in log
    assert after.json() == {"item_id": 1, "in_stock": 3}
    file_regression.check(
        log_excerpt(log), fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/items/9", {}),
    ("GET", "/nowhere", {}),
    ("DELETE", "/items/1", {}),
    ("GET", "/account", {}),
    ("POST", "/items/2/reserve", {"json": {"quantity": 1}}),
    ("POST", "/items/1/reserve", {"json": {"quantity": 0}}),
    ("GET", "/items/1", {"headers": {"If-None-Match": '"v7"'}}),
]


def test_a_served_app_gives_the_same_answers_as_testclient(
    server_log: ServerLog,
) -> None:
    """The page: pointed at a served app, "Try it"'s calls get the same answers."""
    with (
        serve("examples.problem_details.problem_json:app") as server,
        httpx2.Client(base_url=server.url, timeout=10) as client,
    ):
        served = [client.request(method, url, **kw) for method, url, kw in CALLS]
    log = server_log.read()
    tested = [TestClient(app).request(method, url, **kw) for method, url, kw in CALLS]

    assert [describe(answer) for answer in served] == [
        describe(answer) for answer in tested
    ]
    for real, local in zip(served, tested, strict=True):
        assert real.status_code == local.status_code
        assert real.headers.get("content-type") == local.headers.get("content-type")
        assert real.content == local.content
    assert [describe(answer) for answer in served] == [
        "404 Not Found: There is no item 9.",
        "404 Not Found: -",
        "405 Method Not Allowed: -",
        "401 Unauthorized: Send a valid bearer token.",
        "409 Out of stock: This item cannot be reserved now.",
        "422 Your request is not valid: 1 invalid value(s)",
        "304, not a problem (no body)",
    ]
    # a handled problem leaves nothing in the server log
    assert log == ""


def request(method: str, target: str, *headers: str) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: e2e", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_head_request_gets_the_headers_of_the_problem_and_no_body() -> None:
    with serve("examples.problem_details.problem_json:app") as server:
        get = raw_http(server.host, server.port, request("GET", "/no/such/path"))
        head = raw_http(server.host, server.port, request("HEAD", "/no/such/path"))

    assert get.status == head.status == 404
    assert head.headers["content-type"] == PROBLEM_JSON
    # the length the GET body has, and not one byte of it on the wire
    assert head.headers["content-length"] == str(len(get.body))
    assert head.wire_body == b""
    assert get.body == b'{"type":"about:blank","title":"Not Found","status":404}'


def test_a_304_problem_is_sent_without_a_body() -> None:
    with serve("examples.problem_details.problem_json:app") as server:
        response = raw_http(
            server.host,
            server.port,
            request("GET", "/items/1", 'If-None-Match: "v7"'),
        )

    assert response.status == 304
    assert response.headers["etag"] == '"v7"'
    assert "content-type" not in response.headers
    assert response.wire_body == b""


def test_a_problem_body_on_a_304_is_an_error_on_uvicorn(
    server_log: ServerLog,
) -> None:
    """The mistake the recipe avoids: tests/e2e/apps/problem_details_naive.py."""
    with serve("tests.e2e.apps.problem_details_naive:app") as server:
        response = raw_http(server.host, server.port, request("GET", "/items/1"))
        log = server_log.wait_for(
            "LocalProtocolError", waiting_for="uvicorn to log the protocol error"
        )

    # The client gets the status and headers, then the connection closes...
    assert response.status == 304
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.wire_body == b""
    # ...and uvicorn logs an error, with a traceback, about the body it could
    # not send.
    assert ASGI_ERROR in log
    assert "Traceback (most recent call last):" in log
    assert (
        "h11._util.LocalProtocolError: Too much data for declared Content-Length" in log
    )
