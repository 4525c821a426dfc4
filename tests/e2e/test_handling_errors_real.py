"""docs/handling_errors.md on a real uvicorn: what the server logs for an
unhandled exception and for a handled one, and the CORS headers a real client
sees on error responses.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning an app logged itself.
"""

from __future__ import annotations

import re
import subprocess

import httpx2
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.http_clients import keep_alive
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import ROOT, serve

LOG_EXCERPT = ROOT / "examples/handling_errors/logs/catch_all_500.txt"
ORIGIN = "https://shop.example"


def log_excerpt(log: str) -> str:
    """The traceback's first two lines and its last four, paths made relative."""
    lines = log.splitlines()
    start = lines.index(ASGI_ERROR)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Zero"))
    # the checkout's own files, then installed packages, wherever they are
    block = [
        re.sub(r'File "[^"]*/site-packages/', 'File "', line)
        for line in (
            line.replace(f'File "{ROOT}/', 'File "') for line in lines[start : end + 1]
        )
    ]
    return "\n".join([*block[:2], "  ...", *block[-4:]]) + "\n"


def test_an_unhandled_exception_is_answered_by_your_handler_and_logged_by_uvicorn(
    server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with serve("examples.handling_errors.catch_all:app") as server:
        response = httpx2.get(f"{server.url}/average/bob")
        log = server_log.wait_for("ZeroDivisionError: division by zero")
        after = httpx2.get(f"{server.url}/average/ada")

    # The client gets the handler's body; the server still logs the exception.
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "internal_error"}
    assert log.count(ASGI_ERROR) == 1
    assert 'File "/' in log  # a full traceback, with the file paths
    # ...and keeps serving.
    assert after.status_code == 200
    assert after.json() == {"average": 8.0}
    file_regression.check(
        log_excerpt(log), fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


def test_a_handled_exception_leaves_nothing_in_the_server_log(
    server_log: ServerLog,
) -> None:
    with serve("examples.handling_errors.own_exceptions:app") as server:
        conflict = httpx2.post(f"{server.url}/items/2/reserve")
        missing = httpx2.post(f"{server.url}/items/9/reserve")
        check = httpx2.post(f"{server.url}/items/1/reserve")
    log = server_log.read()

    assert conflict.status_code == 409
    assert conflict.json() == {"error": "out_of_stock", "item_id": 2}
    assert missing.status_code == 404
    assert check.status_code == 200
    assert log == ""  # not even a warning


def test_what_your_handler_logs_is_all_the_server_log_shows(
    server_log: ServerLog,
) -> None:
    with serve("examples.handling_errors.log_then_delegate:app") as server:
        response = httpx2.get(f"{server.url}/items/9")
        server_log.wait_for("GET /items/9 -> 404")
    log = server_log.read()

    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}
    assert "GET /items/9 -> 404" in log.splitlines()
    assert ASGI_ERROR not in log


def test_http_exception_in_middleware_is_a_logged_500_on_a_real_server(
    server_log: ServerLog,
) -> None:
    with serve("examples.handling_errors.middleware_raises:app") as server:
        response = httpx2.get(f"{server.url}/stats")
        log = server_log.wait_for("Missing or wrong API key")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert ASGI_ERROR in log
    assert "fastapi.exceptions.HTTPException: 401: Missing or wrong API key" in log


def test_after_an_unhandled_exception_uvicorn_closes_the_connection() -> None:
    with serve("examples.handling_errors.catch_all:app") as server:
        handled = keep_alive(server.host, server.port, "GET", ["/average/ada"] * 2)
        failed = keep_alive(
            server.host, server.port, "GET", ["/average/bob", "/average/ada"]
        )
        after = httpx2.get(f"{server.url}/average/ada")

    # A working route leaves the connection open for the next request...
    assert [answer.split(b"\r\n")[0] for answer in handled] == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 200 OK",
    ]
    # ...the 500 arrives whole, with no "connection: close", then the server
    # closes the connection: the next request sent on it gets no answer.
    head, _, body = failed[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 500 ")
    assert b"connection: close" not in head.lower()
    assert body == b'{"error":"internal_error"}'
    assert failed[1] == b""
    # A new connection is served as usual.
    assert after.json() == {"average": 8.0}


def curl_with_origin(curl: str, url: str) -> tuple[str, dict[str, str]]:
    run = subprocess.run(
        [curl, "-sS", "-i", "-H", f"Origin: {ORIGIN}", url],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    head, _, body = run.stdout.replace("\r\n", "\n").partition("\n\n")
    status, *fields = head.splitlines()
    headers = {}
    for field in fields:
        name, _, value = field.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status + "\n" + body, headers


def test_curl_sees_cors_headers_on_a_handled_404_but_not_on_an_unhandled_500(
    curl: str,
) -> None:
    with serve("examples.handling_errors.cors_on_errors:app") as server:
        ok, ok_headers = curl_with_origin(curl, f"{server.url}/prices/1")
        missing, missing_headers = curl_with_origin(curl, f"{server.url}/prices/9")
        broken, broken_headers = curl_with_origin(curl, f"{server.url}/prices/2")

    assert ok.startswith("HTTP/1.1 200 OK")
    assert ok_headers["access-control-allow-origin"] == ORIGIN
    assert missing.startswith("HTTP/1.1 404 Not Found")
    assert missing.endswith('{"detail":"Item not found"}')
    assert missing_headers["access-control-allow-origin"] == ORIGIN
    assert missing_headers["vary"] == "Origin"
    assert broken.startswith("HTTP/1.1 500 Internal Server Error")
    assert broken.endswith("Internal Server Error")
    assert "access-control-allow-origin" not in broken_headers
    assert "vary" not in broken_headers
