"""Fixtures for the real-server tests: curl, the servers' log (`server_log`),
and Debian's chromium for pytest-playwright's `browser`, `context` and `page`
fixtures.

The helpers these tests import (raw HTTP, timed streams, keep-alive requests)
live in tests/e2e/http_clients.py; the log reader in tests/e2e/server_log.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.server_log import ServerLog

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's chromium: Playwright never downloads a browser of its own here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: each test opens its own server's URL.

    Without pytest-base-url, pytest-playwright 0.10.0 provides this fixture as
    a method, which pytest 9.2 warns about (PytestRemovedIn10Warning, an error
    under our filterwarnings); this one takes its place.
    """


@pytest.fixture(scope="session")
def curl() -> str:
    """Debian's curl; the e2e session requires it (see noxfile.py), so no skip."""
    found = shutil.which("curl") or "/usr/bin/curl"
    if not Path(found).exists():
        pytest.fail("curl is needed for the real-server tests: apt-get install curl")
    return found


@pytest.fixture
def server_log(capfd: pytest.CaptureFixture[str]) -> ServerLog:
    """stderr of the servers this test starts, from the test's start on."""
    return ServerLog(capfd)
