"""docs/performance.md, "FileResponse on each server": of the servers the
benchmark runs FileResponse on, only Granian offers http.response.pathsend, the
extension that lets FileResponse hand the server a path instead of the bytes."""

from __future__ import annotations

import httpx2
import pytest

from tools.servers import serve

APP = "tests.e2e.apps.extensions_seen:app"
PATHSEND = "http.response.pathsend"


@pytest.mark.parametrize(
    ("server", "http", "loop", "offers"),
    [
        ("uvicorn", "h11", "asyncio", False),
        ("uvicorn", "httptools", "uvloop", False),
        ("hypercorn", "h11", "asyncio", False),
        ("granian", "h11", "asyncio", True),
    ],
)
def test_only_granian_offers_pathsend(
    server: str, http: str, loop: str, offers: bool
) -> None:
    with serve(APP, server=server, http=http, loop=loop) as running:
        response = httpx2.get(running.url + "/extensions", timeout=10)

    assert response.status_code == 200
    assert (PATHSEND in response.json()) is offers, response.json()
