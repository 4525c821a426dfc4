"""docs/after_the_response.md on a real uvicorn: the client has the whole body
while a background task is still waiting, what uvicorn logs when a task or a
dependency's cleanup fails after the response, and that it then closes the
client's keep-alive connection.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning.
"""

from __future__ import annotations

import re

import httpx2
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.http_clients import RawResponse, keep_alive, parse_response, raw_http
from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import ROOT, Server, serve
from tools.waiting import wait_until

LOG_EXCERPT = ROOT / "examples/after_the_response/logs/task_raises.txt"
WAREHOUSE_ERROR = "ConnectionError: warehouse unreachable"


def log_excerpt(log: str) -> str:
    """The traceback's first two lines, the line that runs the tasks, and its
    last four, paths made relative."""
    lines = [
        re.sub(r'File "[^"]*/site-packages/', 'File "', line)
        for line in (
            line.replace(f'File "{ROOT}/', 'File "') for line in log.splitlines()
        )
    ]
    start = lines.index(ASGI_ERROR)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Connection"))
    block = lines[start : end + 1]
    tasks = next(i for i, line in enumerate(block) if "await self.background()" in line)
    return (
        "\n".join(
            [*block[:2], "  ...", *block[tasks - 1 : tasks + 1], "  ...", *block[-4:]]
        )
        + "\n"
    )


def keep_alive_posts(
    server: Server, path: str, server_log: ServerLog, logged: str, waiting_for: str
) -> tuple[RawResponse, bytes]:
    """POST `path` on one keep-alive connection, wait (up to 20 s) until the
    server logs `logged`, then POST it again on the same connection.

    Returns the first answer and the raw bytes of the second: b"" once the
    server has closed the connection. Waiting for what the server logs after
    the first response (not for a time) puts the second request after the
    background work, however loaded the machine is. (uvicorn closes an idle
    keep-alive connection after 5 s; the logging comes right after the
    response, so that wait is far shorter.)
    """
    first, second = keep_alive(
        server.host,
        server.port,
        "POST",
        [path, path],
        lambda: server_log.wait_for(logged, 20, waiting_for=waiting_for),
    )
    return parse_response(first, b"POST"), second


def test_the_body_arrives_while_the_background_task_is_still_waiting() -> None:
    with serve("tests.e2e.apps.receipt_gate:app") as server:
        # The task cannot finish before /__release: if the server sent the
        # response only after its tasks, this read would time out.
        answer = raw_http(
            server.host,
            server.port,
            b"POST /orders/7 HTTP/1.1\r\nHost: e2e\r\nContent-Length: 0\r\n"
            b"Connection: close\r\n\r\n",
        )
        before = httpx2.get(f"{server.url}/receipts").json()
        httpx2.post(f"{server.url}/__release")
        wait_until(
            lambda: httpx2.get(f"{server.url}/receipts").json() == [7],
            20,
            waiting_for="the released task to send its receipt",
        )

    assert answer.status == 200
    assert answer.body == b'{"order":7,"status":"received"}'
    assert before == []


def test_a_failing_task_is_logged_by_uvicorn_after_the_client_got_its_200(
    server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    with serve("examples.after_the_response.task_raises:app") as server:
        response, next_answer = keep_alive_posts(
            server,
            "/orders/7",
            server_log,
            WAREHOUSE_ERROR,
            "uvicorn to log the task's error",
        )
        sent = httpx2.get(f"{server.url}/sent")
    log = server_log.text  # as it was when the error line appeared

    assert response.status == 200
    assert response.body == b'{"order":7,"status":"received"}'
    assert "connection" not in response.headers  # no "connection: close" first
    assert sent.json() == []  # the receipt task after it never ran
    assert log.count(ASGI_ERROR) == 1
    # uvicorn closed the connection after logging: the client's next request
    # on it gets no answer (a new connection, as for /sent, is served).
    assert next_answer == b""
    file_regression.check(
        log_excerpt(log), fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


def test_a_task_that_logs_its_error_leaves_only_its_own_line(
    server_log: ServerLog,
) -> None:
    with serve("examples.after_the_response.task_logs:app") as server:
        response, next_answer = keep_alive_posts(
            server,
            "/orders/7",
            server_log,
            WAREHOUSE_ERROR,
            "the task to log its error",
        )
        wait_until(
            lambda: httpx2.get(f"{server.url}/sent").json()[:1] == ["receipt 7"],
            20,
            waiting_for="the receipt task",
        )
    log = server_log.read()

    assert response.status == 200
    assert next_answer.startswith(b"HTTP/1.1 200 OK\r\n")  # the connection stayed open
    assert "Could not notify the warehouse of order 7" in log.splitlines()
    assert WAREHOUSE_ERROR in log  # with its traceback
    assert ASGI_ERROR not in log


def test_a_commit_failing_after_the_response_is_a_runtime_error_in_the_log(
    server_log: ServerLog,
) -> None:
    with serve("examples.after_the_response.yield_mistakes:app") as server:
        response, next_answer = keep_alive_posts(
            server,
            "/orders/2/pay",
            server_log,
            "response already started",
            "uvicorn to log the late 409",
        )
    log = server_log.text  # as it was when the line appeared

    assert response.status == 200
    assert response.body == b'{"order":2,"status":"paid"}'
    assert "connection" not in response.headers
    assert next_answer == b""  # closed, as after a failing task
    assert ASGI_ERROR in log
    assert (
        "RuntimeError: Caught handled exception, but response already started."
        in log.splitlines()
    )
