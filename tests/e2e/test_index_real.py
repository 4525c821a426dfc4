"""docs/index.md on a real uvicorn: each app of examples/index/ sets exactly two
headers, content-type and content-length, and uvicorn adds its own, date and server.

The request keeps the connection open (no `Connection: close`), as a browser
would, so uvicorn has no reason to add a `connection` header."""

from __future__ import annotations

import httpx2
import pytest

from tools.servers import serve


@pytest.mark.parametrize("module", ["untyped_items", "typed_items"])
def test_app_headers_plus_uvicorns_date_and_server(module: str) -> None:
    with (
        serve(f"examples.index.{module}:app") as server,
        httpx2.Client(timeout=10) as client,
    ):
        response = client.get(f"{server.url}/items")

    names = sorted(name.decode().lower() for name, _ in response.headers.raw)
    assert response.status_code == 200
    assert names == ["content-length", "content-type", "date", "server"]
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["server"] == "uvicorn"
