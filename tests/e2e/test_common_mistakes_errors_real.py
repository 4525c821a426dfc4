"""The error mistakes of docs/common_mistakes.md on a real uvicorn: what curl
gets from `debug=True`, and what the server logs behind a friendly 400.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error an app raised or logged.
"""

from __future__ import annotations

import re
import subprocess

import httpx
import httpx2
from pytest_regressions.file_regression import FileRegressionFixture

from tests.e2e.server_log import ASGI_ERROR, ServerLog
from tools.servers import ROOT, serve

LOG_EXCERPT = ROOT / "examples/common_mistakes/logs/catch_all_500.txt"


def traceback_ended(log: str) -> bool:
    """uvicorn's traceback, which comes last, has ended."""
    return "KeyError: 'voucher'" in log.partition(ASGI_ERROR)[2]


def log_excerpt(log: str, error_line: str) -> str:
    """The handler's line (its random id as <id>), then the start and the end
    of uvicorn's traceback, paths made relative."""
    lines = log.splitlines()
    start = lines.index(ASGI_ERROR)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("KeyError"))
    block = [
        re.sub(r'File "[^"]*/site-packages/', 'File "', line)
        for line in (
            line.replace(f'File "{ROOT}/', 'File "') for line in lines[start : end + 1]
        )
    ]
    handler_line = re.sub(r"error_id=[0-9a-f]{32}", "error_id=<id>", error_line)
    return "\n".join([handler_line, *block[:2], "  ...", *block[-4:]]) + "\n"


def test_curl_gets_the_traceback_as_text_from_debug_true(curl: str) -> None:
    with serve("examples.common_mistakes.leaks_error_text:app") as server:
        done = subprocess.run(
            [curl, "-s", "-i", f"{server.url}/orders/2/average"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    head, _, body = done.stdout.replace("\r\n", "\n").partition("\n\n")
    lines = body.splitlines()

    assert head.splitlines()[0] == "HTTP/1.1 500 Internal Server Error"
    assert "content-type: text/plain; charset=utf-8" in head.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "ZeroDivisionError: integer division or modulo by zero"
    assert "/examples/common_mistakes/leaks_error_text.py" in body


def test_a_friendly_400_hides_the_bug_from_the_client_not_from_the_log(
    server_log: ServerLog,
) -> None:
    with serve("examples.common_mistakes.catch_all_hides_bugs:app") as server:
        response = httpx2.get(f"{server.url}/prices/gift-card")
        log = server_log.wait_for("KeyError: 'voucher'")

    assert response.status_code == 400
    assert response.json() == {
        "message": "Sorry, please check your request and try again."
    }
    assert log.count(ASGI_ERROR) == 1
    assert "tax = TAX_PERCENT[CATEGORIES[item]]" in log


def test_the_fixed_handler_logs_one_line_and_uvicorn_the_only_traceback(
    server_log: ServerLog, file_regression: FileRegressionFixture
) -> None:
    """docs/common_mistakes.md and docs/handling_errors.md: the handler for
    Exception logs the error id in one line, uvicorn logs the traceback once."""
    with serve("tests.e2e.apps.catch_all_bug_back:app") as server:
        response = httpx2.get(f"{server.url}/prices/gift-card")
        log = server_log.wait_for(
            traceback_ended, waiting_for="uvicorn's whole traceback"
        )

    body = response.json()
    assert response.status_code == 500
    assert body["detail"] == "Internal error"
    error_line = f"error_id={body['error_id']} GET /prices/{{item}} KeyError"
    lines = log.splitlines()
    assert error_line in lines
    assert lines.count(ASGI_ERROR) == 1
    # the handler's line comes first, then uvicorn's one traceback
    assert lines.index(error_line) < lines.index(ASGI_ERROR)
    assert log.count("Traceback (most recent call last):") == 1
    assert log.count("KeyError: 'voucher'") == 1
    assert lines.index(error_line) == lines.index(ASGI_ERROR) - 1
    file_regression.check(
        log_excerpt(log, error_line),
        fullpath=LOG_EXCERPT,
        encoding="utf-8",
        newline="\n",
    )


def test_httpx_takes_the_200_error_for_a_success() -> None:
    """docs/common_mistakes.md: "In httpx, `response.is_success` is `True`"."""
    with serve("examples.common_mistakes.error_with_status_200:app") as server:
        response = httpx.get(f"{server.url}/products/9")

    assert response.status_code == 200
    assert response.json() == {"error": "not found"}
    assert response.is_success
    response.raise_for_status()  # raises nothing


def test_a_handler_that_logs_the_traceback_doubles_it(
    server_log: ServerLog,
) -> None:
    """docs/handling_errors.md: log the traceback in the handler for Exception
    too, and it appears twice."""
    with serve("tests.e2e.apps.catch_all_logs_traceback:app") as server:
        response = httpx2.get(f"{server.url}/prices/gift-card")
        log = server_log.wait_for(
            traceback_ended, waiting_for="uvicorn's whole traceback"
        )

    assert response.status_code == 500
    assert log.count("Traceback (most recent call last):") == 2
    assert log.count("KeyError: 'voucher'") == 2
