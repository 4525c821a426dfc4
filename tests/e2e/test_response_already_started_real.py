"""docs/response_already_started.md on a real uvicorn: what curl, httpx2 and
the raw connection show when a stream fails after its 200, what the fixes send
instead, and a file that shrinks or disappears while FileResponse sends it.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error an app or the server logged.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx2
import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.curl_output import SHOWN_PORT, normalise
from tests.e2e.http_clients import MiB, read_until_closed
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import ROOT, Server, serve
from tools.waiting import wait_until

CURL_TRANSCRIPT = (
    ROOT / "examples/response_already_started/logs/fails_mid_stream_curl.txt"
)
MISTAKE = "examples.response_already_started.fails_mid_stream:app"
FIX = "examples.response_already_started.checked_first:app"
FEED = "examples.response_already_started.feed_cut_off:app"
LAST_CHUNK = b"0\r\n\r\n"  # the empty chunk that ends a chunked body


def read_to_eof(server: Server, target: str, *, close: bool = False) -> bytes:
    """A GET on a raw socket; every byte until the server closes (a timeout raises).

    Unless `close`, the request is keep-alive, so an EOF is the server's choice.
    """
    extra = "Connection: close\r\n" if close else ""
    request = f"GET {target} HTTP/1.1\r\nHost: e2e\r\n{extra}\r\n".encode()
    return read_until_closed(server.host, server.port, request, timeout=30)


def run_curl(curl: str, *args: str) -> subprocess.CompletedProcess[str]:
    """curl's exit code, stdout and stderr; a non-zero exit is for the test to check."""
    return subprocess.run(
        [curl, *args], capture_output=True, text=True, timeout=30, check=False
    )


# --- the mistake: a stream that fails after its 200 ------------------------------


def test_curl_gets_the_200_and_the_first_line_then_exits_18(
    curl: str, server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with serve(MISTAKE) as server:
        run = run_curl(curl, "-sS", "-i", server.url + "/orders/bob")
        log = server_log.wait_for("KeyError: 'amount'")

    assert run.returncode == 18
    assert run.stderr == (
        "curl: (18) transfer closed with outstanding read data remaining\n"
    )
    head, _, body = run.stdout.replace("\r\n", "\n").partition("\n\n")
    assert head.startswith("HTTP/1.1 200 OK\n")
    assert "content-type: application/jsonl" in head.splitlines()
    assert body == '{"id": 3, "cents": 725}\n'
    # uvicorn logs the exception once, with its traceback, and nothing else.
    assert log.count(ASGI_ERROR) == 1
    assert log.startswith(ASGI_ERROR + "\nTraceback (most recent call last):\n")
    assert log.rstrip("\n").endswith("KeyError: 'amount'")
    shown = f"http://127.0.0.1:{SHOWN_PORT}/orders/bob"
    transcript = (
        f"$ curl -i {shown}\n{normalise(run.stdout, server.port)}{run.stderr}"
        f"$ echo $?\n{run.returncode}\n"
    )
    file_regression.check(
        transcript, fullpath=CURL_TRANSCRIPT, encoding="utf-8", newline="\n"
    )


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("/orders/bob", b'18\r\n{"id": 3, "cents": 725}\n\r\n'),
        ("/orders/zed", b""),
        ("/orders/cy", b""),
    ],
)
def test_the_server_closes_the_connection_without_the_last_chunk(
    target: str, body: bytes
) -> None:
    with serve(MISTAKE) as server:
        received = read_to_eof(server, target)

    head, _, wire_body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Transfer-Encoding: chunked" in head.split(b"\r\n")
    assert wire_body == body  # then EOF: no LAST_CHUNK, no 500


def test_httpx_hands_over_the_first_line_then_raises() -> None:
    lines = []
    with serve(MISTAKE) as server:
        with (
            pytest.raises(httpx2.RemoteProtocolError) as raised,
            httpx2.stream("GET", server.url + "/orders/bob") as response,
        ):
            status = response.status_code
            lines.extend(response.iter_lines())
        with pytest.raises(httpx2.RemoteProtocolError):
            httpx2.get(server.url + "/orders/bob")  # reading it all at once

    assert status == 200
    assert lines == ['{"id": 3, "cents": 725}']
    assert str(raised.value) == (
        "peer closed connection without sending complete message body"
        " (incomplete chunked read)"
    )


# --- the fixes --------------------------------------------------------------------


def test_the_fix_ends_the_body_properly_and_logs_without_an_asgi_error(
    curl: str, server_log: ServerLog
) -> None:
    with serve(FIX) as server:
        run = run_curl(curl, "-sS", server.url + "/orders/bob")
        archived = httpx2.get(server.url + "/orders/cy")
        received = read_to_eof(server, "/orders/bob", close=True)
        log = server_log.wait_for("KeyError: 'amount'")

    assert run.returncode == 0
    assert run.stdout == '{"id": 3, "cents": 725}\n{"error": "export_failed"}\n'
    assert received.endswith(b'{"error": "export_failed"}\n\r\n' + LAST_CHUNK)
    assert "Order export failed" in log.splitlines()
    assert "Traceback (most recent call last):" in log
    assert ASGI_ERROR not in log
    # A failure before the first byte is a whole 410, with its length.
    assert archived.status_code == 410
    assert archived.headers["content-length"] == "30"
    assert archived.json() == {"detail": "Customer archived"}


def test_a_feed_that_raises_ends_like_a_feed_that_finished(
    curl: str, server_log: ServerLog
) -> None:
    with serve(FEED) as server:
        run = run_curl(curl, "-sS", "-N", server.url + "/jobs/deploy/events")
        received = read_to_eof(server, "/jobs/deploy/events")
        log = server_log.wait_for("ConnectionError: upload failed")

    # FastAPI ends an event stream's body before the exception reaches uvicorn:
    # curl sees a normal end, and only the server's log tells.
    assert run.returncode == 0
    assert run.stdout == 'data: {"step": "checkout"}\nid: 1\n\n'
    assert received.endswith(LAST_CHUNK)
    assert ASGI_ERROR in log
    assert "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)" in log


# --- a file that changes while FileResponse sends it ----------------------------


def download_while(curl: str, tmp_path: Path, change: str) -> tuple[int, str, str]:
    """Start a slow curl download of a 16 MiB file; once 1 MiB has arrived,
    shrink the file to 8 MiB, unlink it, or rename another file over it. curl's exit code, -w and stderr."""
    original = tmp_path / "original.bin"
    original.write_bytes(os.urandom(16 * MiB))
    saved = tmp_path / "saved.bin"
    with serve(
        "examples.files.resume_download:app", overrides={"SUMMARY": original}
    ) as server:
        download = subprocess.Popen(
            [
                curl,
                "-sS",
                "--limit-rate",
                "4M",
                "-o",
                str(saved),
                "-w",
                "%{http_code} %{size_download}",
                server.url + "/download",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(
                lambda: saved.exists() and saved.stat().st_size >= MiB,
                30,
                waiting_for="the first MiB of the download",
            )
            if change == "unlink":
                original.unlink()
            elif change == "replace":
                newer = tmp_path / "newer.bin"
                newer.write_bytes(b"a newer, shorter file")
                newer.replace(original)
            else:
                os.truncate(original, 8 * MiB)
            out, err = download.communicate(timeout=60)
        finally:
            if download.poll() is None:
                download.kill()
                download.wait()
    return download.returncode, out, err


@pytest.mark.slow
@pytest.mark.parametrize("change", ["unlink", "replace"])
def test_an_unlinked_or_replaced_file_still_downloads_whole(
    curl: str, tmp_path: Path, change: str
) -> None:
    code, out, err = download_while(curl, tmp_path, change)

    # The open file keeps its data until closed: the download gets every byte.
    assert (code, out, err) == (0, f"200 {16 * MiB}", "")


@pytest.mark.slow
def test_a_truncated_file_gives_a_short_body_and_curl_exit_18(
    curl: str, tmp_path: Path, server_log: ServerLog
) -> None:
    code, out, err = download_while(curl, tmp_path, "truncate")
    log = server_log.read()

    status, received = out.split()
    assert code == 18
    assert status == "200"
    # content-length promised 16 MiB; the body stopped near the new end.
    assert MiB <= int(received) < 16 * MiB
    assert err == (
        f"curl: (18) transfer closed with {16 * MiB - int(received)} bytes"
        " remaining to read\n"
    )
    assert ASGI_ERROR in log
    assert (
        "h11._util.LocalProtocolError: Too little data for declared Content-Length"
        in log
    )
