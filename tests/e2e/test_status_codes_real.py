"""docs/status_codes.md on a real uvicorn: what curl sees and uvicorn logs when a
204 carries a body or a 205 declares one it does not send, what that does to the
next request on the connection, and 201, 200, 204, 205 and HEAD answers on the
wire.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning the app or the server logged.
"""

from __future__ import annotations

import socket
import subprocess

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.curl_output import SHOWN_PORT, normalise
from tests.e2e.http_clients import keep_alive, raw_http
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import ROOT, Server, serve

H11_ERROR = "h11._util.LocalProtocolError: Too much data for declared Content-Length"
H11_SHORT = "h11._util.LocalProtocolError: Too little data for declared Content-Length"
MISTAKE = "examples.status_codes.json_no_content:app"
FIX = "examples.status_codes.no_content:app"
RESET_MISTAKE = "examples.status_codes.reset_on_decorator:app"
RESET_FIX = "examples.status_codes.reset_content:app"
CREATED = "examples.status_codes.created:app"
LOGS = ROOT / "examples/status_codes/logs"
CURL_TRANSCRIPT = LOGS / "json_no_content_curl.txt"
LOG_EXCERPT = LOGS / "json_no_content_error.txt"
RESET_CURL_TRANSCRIPT = LOGS / "reset_on_decorator_curl.txt"
RESET_LOG_EXCERPT = LOGS / "reset_on_decorator_error.txt"


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


def curl_i(
    curl: str, server: Server, method: str, target: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [curl, "-sS", "-i", "-X", method, server.url + target],
        capture_output=True,
        text=True,
        timeout=30,
        check=check,
    )


def log_excerpt(log: str) -> str:
    """The first two lines of uvicorn's error and the last of its traceback."""
    lines = log.splitlines()
    return "\n".join([*lines[:2], "  ...", lines[-1]]) + "\n"


# --- the mistake: JSONResponse(content=None, status_code=204) ------------------


def test_curl_sees_a_clean_204_while_uvicorn_logs_an_h11_error(
    curl: str, server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with serve(MISTAKE) as server:
        shown = curl_i(curl, server, "DELETE", "/sessions/1").stdout
        log = server_log.wait_for(H11_ERROR)

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
    file_regression.check(
        log_excerpt(log), fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


@pytest.mark.parametrize(
    ("app", "answers", "errors"),
    [(MISTAKE, 1, 1), (FIX, 2, 0)],
    ids=["mistake", "fix"],
)
def test_a_204_with_a_body_ends_the_connection_and_the_next_request_is_lost(
    server_log: ServerLog, app: str, answers: int, errors: int
) -> None:
    with serve(app) as server:
        received = pipelined(
            server,
            request("DELETE", "/sessions/1"),
            request("DELETE", "/sessions/2", "Connection: close"),
        )
        if errors:
            server_log.wait_for(H11_ERROR)
    log = server_log.read()

    assert received.count(b"HTTP/1.1 204 No Content\r\n") == answers
    assert b"null" not in received
    assert log.count(ASGI_ERROR) == errors


def test_a_keep_alive_client_gets_no_answer_to_its_next_request() -> None:
    # each request goes out after the whole answer to the one before, as any
    # client that reuses its connection sends them
    targets = ["/sessions/1", "/sessions/2", "/sessions/3"]
    with serve(MISTAKE) as server:
        mistake = keep_alive(server.host, server.port, "DELETE", targets)
    with serve(FIX) as server:
        fix = keep_alive(
            server.host,
            server.port,
            "DELETE",
            ["/sessions/1", "/v2/sessions/2", "/old/sessions/3"],
        )

    assert mistake[0].startswith(b"HTTP/1.1 204 No Content\r\n")
    assert mistake[1:] == [b"", b""]  # the connection is gone after the first
    assert [answer.split(b"\r\n", 1)[0] for answer in fix] == [
        b"HTTP/1.1 204 No Content"
    ] * 3


@pytest.mark.parametrize("target", ["/sessions/1", "/v2/sessions/2", "/old/sessions/3"])
def test_each_fix_sends_nothing_after_the_headers(
    server_log: ServerLog, target: str
) -> None:
    with serve(FIX) as server:
        response = raw_http(
            server.host, server.port, request("DELETE", target, "Connection: close")
        )

    assert response.status == 204
    assert response.wire_body == b""
    assert "content-length" not in response.headers
    assert server_log.read() == ""


# --- 205: the decorator's status keeps the dropped body's content-length --------


def test_a_205_on_the_decorator_leaves_curl_waiting_for_4_bytes(
    curl: str, server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with serve(RESET_MISTAKE) as server:
        run = curl_i(curl, server, "POST", "/drafts/1/clear", check=False)
        log = server_log.wait_for(H11_SHORT)

    head, _, body = run.stdout.replace("\r\n", "\n").partition("\n\n")
    assert head.startswith("HTTP/1.1 205 Reset Content\n")
    assert "content-length: 4" in head.splitlines()
    assert body == ""
    # curl's exit code 18: the server closed before the declared body arrived
    assert run.returncode == 18
    assert "transfer closed with 4 bytes remaining to read" in run.stderr
    assert log.count(ASGI_ERROR) == 1
    assert log.rstrip("\n").endswith(H11_SHORT)
    target = f"http://127.0.0.1:{SHOWN_PORT}/drafts/1/clear"
    file_regression.check(
        f"$ curl -i -X POST {target}\n{normalise(run.stdout, server.port)}"
        + run.stderr,
        fullpath=RESET_CURL_TRANSCRIPT,
        encoding="utf-8",
        newline="\n",
    )
    file_regression.check(
        log_excerpt(log), fullpath=RESET_LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


def test_a_returned_205_is_clean_on_the_wire(curl: str, server_log: ServerLog) -> None:
    with serve(RESET_FIX) as server:
        run = curl_i(curl, server, "POST", "/drafts/1/clear")
        answers = keep_alive(
            server.host, server.port, "POST", ["/drafts/2/clear", "/drafts/3/clear"]
        )

    head, _, body = run.stdout.replace("\r\n", "\n").partition("\n\n")
    assert head.startswith("HTTP/1.1 205 Reset Content\n")
    assert "content-length: 0" in head.splitlines()
    assert body == ""
    assert run.stderr == ""
    # the connection stays usable
    assert [answer.split(b"\r\n", 1)[0] for answer in answers] == [
        b"HTTP/1.1 205 Reset Content"
    ] * 2
    assert server_log.read() == ""


def test_a_205_on_the_decorator_ends_a_keep_alive_connection(
    server_log: ServerLog,
) -> None:
    with serve(RESET_MISTAKE) as server:
        answers = keep_alive(
            server.host, server.port, "POST", ["/drafts/1/clear", "/drafts/2/clear"]
        )
        server_log.wait_for(H11_SHORT)

    assert answers[0].startswith(b"HTTP/1.1 205 Reset Content\r\n")
    assert answers[0].endswith(b"\r\n\r\n")  # the 4 bytes never came
    assert answers[1] == b""


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
