"""What the servers a test starts write to stderr (uvicorn's log), read as it
arrives; the `server_log` fixture in tests/e2e/conftest.py gives a test one.

A server started with tools/servers.py inherits the test's stderr, which
pytest's `capfd` captures into a file. uvicorn logs an exception after it has
answered (or cut off) the request, so a test waits for the line it expects
instead of reading the log at once.

The log is read from that file with `os.pread`, which neither moves the
server's write position nor empties the file: polling with
`capfd.readouterr()` empties it after each read, and a line the server writes
between the read and the emptying was lost (a wait then timed out in CI).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import pytest

from tools.waiting import wait_until

ASGI_ERROR = "ERROR:    Exception in ASGI application"  # uvicorn, before a traceback


class ServerLog:
    """stderr since the test began: `text` so far, `read()` for more, and
    `wait_for()` until a line appears."""

    def __init__(self, capfd: pytest.CaptureFixture[str]) -> None:
        capfd.readouterr()  # what came before the test is not its server's
        sys.stderr.flush()
        self._fd = 2  # capfd's file while the test runs
        self._raw = b""
        self.text = ""

    def read(self) -> str:
        """Everything written to stderr since the test began."""
        while chunk := os.pread(self._fd, 65536, len(self._raw)):
            self._raw += chunk
        self.text = self._raw.decode(errors="replace")
        return self.text

    def wait_for(
        self,
        until: str | Callable[[str], object],
        timeout: float = 10,
        *,
        waiting_for: str | None = None,
    ) -> str:
        """Read until `until` is in the log (a callable: until it holds for the
        log), and return the log. Raises TimeoutError after `timeout` seconds,
        naming `waiting_for` (by default, what it waited to see)."""
        holds = until if callable(until) else lambda log: until in log
        wait_until(
            lambda: holds(self.read()),
            timeout,
            waiting_for=waiting_for or f"{until!r} in the server's log",
        )
        return self.text
