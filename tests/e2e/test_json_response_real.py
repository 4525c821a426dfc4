"""docs/json_response.md on a real uvicorn: a content-length you pass that does
not match the body cuts the response off, in curl and in an HTTP client."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.apps import wrong_content_length
from tools.servers import Server, serve

BODY = b'{"a":1,"b":2}'


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve("tests.e2e.apps.wrong_content_length:app") as running:
        yield running


def curl_i(curl: str, url: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [curl, "-sS", "-i", "--max-time", "10", url],
        check=False,
        capture_output=True,
        timeout=30,
    )


def split_reply(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status, *lines = head.decode().split("\r\n")
    return status, dict(line.split(": ", 1) for line in lines), body


def test_the_app_sends_the_body_the_page_describes() -> None:
    assert len(BODY) == 13
    assert wrong_content_length.BODY == {"a": 1, "b": 2}


def test_without_a_content_length_of_your_own_curl_gets_it_all(
    server: Server, curl: str
) -> None:
    result = curl_i(curl, server.url + "/right")

    assert result.returncode == 0, result.stderr
    status, headers, body = split_reply(result.stdout)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-length"] == "13"
    assert body == BODY


def test_a_content_length_below_the_body_size_sends_no_body(
    server: Server, curl: str
) -> None:
    result = curl_i(curl, server.url + "/too-short")

    # uvicorn (h11) sends the headers, refuses the 13-byte body as "Too much
    # data for declared Content-Length", and closes the connection.
    status, headers, body = split_reply(result.stdout)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-length"] == "5"
    assert body == b""
    assert result.returncode == 18  # CURLE_PARTIAL_FILE
    assert b"transfer closed with 5 bytes remaining to read" in result.stderr


def test_a_content_length_above_the_body_size_cuts_the_transfer_off(
    server: Server, curl: str
) -> None:
    result = curl_i(curl, server.url + "/too-long")

    # The whole body goes out, then h11 refuses to end the message ("Too little
    # data for declared Content-Length") and uvicorn closes the connection.
    status, headers, body = split_reply(result.stdout)
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-length"] == "100"
    assert body == BODY
    assert result.returncode == 18
    assert b"transfer closed with 87 bytes remaining to read" in result.stderr


@pytest.mark.parametrize("path", ["/too-short", "/too-long"])
def test_an_http_client_raises_instead_of_returning_a_response(
    server: Server, path: str
) -> None:
    with pytest.raises(httpx2.RemoteProtocolError):
        httpx2.get(server.url + path, timeout=10)


def test_uvicorn_logs_an_exception_for_each_broken_response(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # A server of this test's own: it inherits the stderr capfd captures.
    with serve("tests.e2e.apps.wrong_content_length:app") as running:
        assert httpx2.get(running.url + "/right", timeout=10).status_code == 200
        for path in ("/too-short", "/too-long", "/too-short"):
            with pytest.raises(httpx2.RemoteProtocolError):
                httpx2.get(running.url + path, timeout=10)
    log = capfd.readouterr().err

    assert log.count("Exception in ASGI application") == 3, log
    assert "Too much data for declared Content-Length" in log
    assert "Too little data for declared Content-Length" in log
