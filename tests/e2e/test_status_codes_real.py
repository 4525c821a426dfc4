"""docs/status_codes.md on a real uvicorn: what curl sees and uvicorn logs when a
204 carries a body, what that does to the next request on the connection, and
201, 200, 204 and HEAD answers on the wire.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning the app or the server logged.
"""

from __future__ import annotations

import socket
import subprocess

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.http_clients import raw_http
from tests.e2e.test_transcripts import SHOWN_PORT, normalise
from tools.servers import ROOT, Server, serve
from tools.waiting import wait_until

ASGI_ERROR = "ERROR:    Exception in ASGI application"
H11_ERROR = "h11._util.LocalProtocolError: Too much data for declared Content-Length"
MISTAKE = "examples.status_codes.json_no_content:app"
FIX = "examples.status_codes.no_content:app"
CREATED = "examples.status_codes.created:app"
CURL_TRANSCRIPT = ROOT / "examples/status_codes/logs/json_no_content_curl.txt"
LOG_EXCERPT = ROOT / "examples/status_codes/logs/json_no_content_error.txt"


def collect_log(capfd: pytest.CaptureFixture[str], until: str) -> str:
    log = ""

    def logged() -> bool:
        nonlocal log
        log += capfd.readouterr().err
        return until in log

    wait_until(logged, 10, waiting_for=f"{until!r} in the server's log")
    return log


def request(method: str, target: str, *headers: str) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: e2e", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def pipelined(server: Server, *requests: bytes) -> bytes:
    """Send the requests at once on one keep-alive connection; read to EOF.

    The last request should carry `Connection: close` so a server that answers
    them all then ends the connection.
    """
    received = b""
    with socket.create_connection((server.host, server.port), timeout=10) as conn:
        conn.sendall(b"".join(requests))
        while chunk := conn.recv(65536):
            received += chunk
    return received


def curl_i(curl: str, server: Server, method: str, target: str) -> str:
    run = subprocess.run(
        [curl, "-sS", "-i", "-X", method, server.url + target],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return run.stdout


# --- the mistake: JSONResponse(content=None, status_code=204) ------------------


def test_curl_sees_a_clean_204_while_uvicorn_logs_an_h11_error(
    curl: str, capfd: pytest.CaptureFixture[str], file_regression: FileRegressionFixture
) -> None:
    capfd.readouterr()
    with serve(MISTAKE) as server:
        shown = curl_i(curl, server, "DELETE", "/sessions/1")
        log = collect_log(capfd, H11_ERROR)

    # curl: the status line and headers, no body, no error
    head, _, body = shown.replace("\r\n", "\n").partition("\n\n")
    assert head.startswith("HTTP/1.1 204 No Content\n")
    assert "content-type: application/json" in head.splitlines()
    assert "content-length" not in head
    assert body == ""
    # uvicorn: one exception, raised by h11 as the app sends `null`
    assert log.count(ASGI_ERROR) == 1
    assert log.rstrip("\n").endswith(H11_ERROR)
    target = f"http://127.0.0.1:{SHOWN_PORT}/sessions/1"
    file_regression.check(
        f"$ curl -i -X DELETE {target}\n{normalise(shown, server.port)}",
        fullpath=CURL_TRANSCRIPT,
        encoding="utf-8",
        newline="\n",
    )
    lines = log.splitlines()
    excerpt = [*lines[:2], "  ...", lines[-1]]
    file_regression.check(
        "\n".join(excerpt) + "\n", fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


@pytest.mark.parametrize(
    ("app", "answers", "errors"),
    [(MISTAKE, 1, 1), (FIX, 2, 0)],
    ids=["mistake", "fix"],
)
def test_a_204_with_a_body_ends_the_connection_and_the_next_request_is_lost(
    capfd: pytest.CaptureFixture[str], app: str, answers: int, errors: int
) -> None:
    capfd.readouterr()
    with serve(app) as server:
        received = pipelined(
            server,
            request("DELETE", "/sessions/1"),
            request("DELETE", "/sessions/2", "Connection: close"),
        )
        log = collect_log(capfd, H11_ERROR) if errors else ""
    log += capfd.readouterr().err

    assert received.count(b"HTTP/1.1 204 No Content\r\n") == answers
    assert b"null" not in received
    assert log.count(ASGI_ERROR) == errors


@pytest.mark.parametrize("target", ["/sessions/1", "/v2/sessions/2", "/old/sessions/3"])
def test_each_fix_sends_nothing_after_the_headers(
    capfd: pytest.CaptureFixture[str], target: str
) -> None:
    capfd.readouterr()
    with serve(FIX) as server:
        response = raw_http(
            server.host, server.port, request("DELETE", target, "Connection: close")
        )

    assert response.status == 204
    assert response.wire_body == b""
    assert "content-length" not in response.headers
    assert capfd.readouterr().err == ""


# --- 201, 200 and HEAD on the wire ---------------------------------------------


def test_curl_does_not_follow_the_location_of_a_201(curl: str) -> None:
    with serve(CREATED) as server:
        run = subprocess.run(
            [curl, "-sS", "-i", "-L", "-X", "POST", server.url + "/notes?text=milk"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )

    # one answer: -L follows 3xx answers only
    assert run.stdout.count("HTTP/1.1 ") == 1
    head, _, body = run.stdout.replace("\r\n", "\n").partition("\n\n")
    assert head.startswith("HTTP/1.1 201 Created\n")
    assert "location: /notes/1" in head.splitlines()
    assert body == '{"text":"milk"}'


def test_put_creates_then_replaces_and_head_mirrors_get() -> None:
    put = request("PUT", "/notes/7?text=Ada", "content-length: 0", "Connection: close")
    with serve(CREATED) as server:
        first, again = (raw_http(server.host, server.port, put) for _ in "12")
        get, head = (
            raw_http(
                server.host, server.port, request(m, "/notes/7", "Connection: close")
            )
            for m in ("GET", "HEAD")
        )

    assert (first.status, first.headers["location"]) == (201, "/notes/7")
    assert again.status == 200
    assert "location" not in again.headers
    assert get.body == b'{"text":"Ada"}'
    assert head.status == 200
    assert head.headers["content-length"] == str(len(get.body))
    assert head.wire_body == b""
