"""docs/after_the_response.md on a real uvicorn: the client has the whole body
while a background task is still waiting, and what uvicorn logs when a task or
a dependency's cleanup fails after the response.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error or a warning.
"""

from __future__ import annotations

import re

import httpx2
import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.http_clients import raw_http
from tools.servers import ROOT, serve
from tools.waiting import wait_until

ASGI_ERROR = "ERROR:    Exception in ASGI application"
LOG_EXCERPT = ROOT / "examples/after_the_response/logs/task_raises.txt"


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
    capfd: pytest.CaptureFixture[str], file_regression: FileRegressionFixture
) -> None:
    capfd.readouterr()
    log = ""

    def logged() -> bool:
        nonlocal log
        log += capfd.readouterr().err
        return "ConnectionError: warehouse unreachable" in log

    with serve("examples.after_the_response.task_raises:app") as server:
        response = httpx2.post(f"{server.url}/orders/7")
        wait_until(logged, 20, waiting_for="uvicorn to log the task's error")
        sent = httpx2.get(f"{server.url}/sent")

    assert response.status_code == 200
    assert response.json() == {"order": 7, "status": "received"}
    assert sent.json() == []  # the receipt task after it never ran
    assert log.count(ASGI_ERROR) == 1
    file_regression.check(
        log_excerpt(log), fullpath=LOG_EXCERPT, encoding="utf-8", newline="\n"
    )


def test_a_task_that_logs_its_error_leaves_only_its_own_line(
    capfd: pytest.CaptureFixture[str],
) -> None:
    capfd.readouterr()
    with serve("examples.after_the_response.task_logs:app") as server:
        response = httpx2.post(f"{server.url}/orders/7")
        wait_until(
            lambda: httpx2.get(f"{server.url}/sent").json() == ["receipt 7"],
            20,
            waiting_for="the receipt task",
        )
    log = capfd.readouterr().err

    assert response.status_code == 200
    assert "Could not notify the warehouse of order 7" in log.splitlines()
    assert "ConnectionError: warehouse unreachable" in log  # with its traceback
    assert ASGI_ERROR not in log


def test_a_commit_failing_after_the_response_is_a_runtime_error_in_the_log(
    capfd: pytest.CaptureFixture[str],
) -> None:
    capfd.readouterr()
    log = ""

    def logged() -> bool:
        nonlocal log
        log += capfd.readouterr().err
        return "response already started" in log

    with serve("examples.after_the_response.yield_mistakes:app") as server:
        response = httpx2.post(f"{server.url}/orders/2/pay")
        wait_until(logged, 20, waiting_for="uvicorn to log the late 409")

    assert response.status_code == 200
    assert response.json() == {"order": 2, "status": "paid"}
    assert ASGI_ERROR in log
    assert (
        "RuntimeError: Caught handled exception, but response already started."
        in log.splitlines()
    )
