"""The error mistakes of docs/common_mistakes.md on a real uvicorn: what curl
gets from `debug=True`, and what the server logs behind a friendly 400.

tools/launch.py runs uvicorn with log_level="warning" and no access log, so
anything on stderr here is an error an app raised or logged.
"""

from __future__ import annotations

import subprocess

import httpx2
import pytest

from tools.servers import serve
from tools.waiting import wait_until

ASGI_ERROR = "ERROR:    Exception in ASGI application"


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
    capfd: pytest.CaptureFixture[str],
) -> None:
    capfd.readouterr()
    log = ""

    def logged() -> bool:
        nonlocal log
        log += capfd.readouterr().err
        return "KeyError: 'voucher'" in log

    with serve("examples.common_mistakes.catch_all_hides_bugs:app") as server:
        response = httpx2.get(f"{server.url}/prices/gift-card")
        wait_until(logged, 10)

    assert response.status_code == 400
    assert response.json() == {
        "message": "Sorry, please check your request and try again."
    }
    assert log.count(ASGI_ERROR) == 1
    assert "tax = TAX_PERCENT[CATEGORIES[item]]" in log
