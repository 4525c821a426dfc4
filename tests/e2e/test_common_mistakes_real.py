"""docs/common_mistakes.md on a real uvicorn: the headers a stream without a
media_type gets on the wire, next to its fix."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from tools.servers import Server, serve

ROWS = b"order_id,product,quantity\n1,Pen,3\n2,Notebook,1\n3,Stapler,2\n"
PATHS = ["/orders.csv", "/orders-yielded.csv"]


@pytest.fixture(scope="module")
def mistake() -> Iterator[Server]:
    with serve("examples.common_mistakes.stream_without_media_type:app") as running:
        yield running


@pytest.fixture(scope="module")
def fix() -> Iterator[Server]:
    with serve("examples.common_mistakes.stream_with_media_type:app") as running:
        yield running


def get(server: Server, path: str) -> httpx2.Response:
    # A keep-alive request, as a browser sends it: with "Connection: close"
    # uvicorn would also answer with a connection header.
    with httpx2.Client(timeout=10) as client:
        return client.get(server.url + path)


@pytest.mark.parametrize("path", PATHS)
def test_uvicorn_adds_only_date_server_and_transfer_encoding(
    mistake: Server, path: str
) -> None:
    response = get(mistake, path)

    assert response.status_code == 200
    # Starlette sets no header at all; these three come from uvicorn.
    assert set(response.headers) == {"date", "server", "transfer-encoding"}
    assert response.headers["server"] == "uvicorn"
    assert response.headers["transfer-encoding"] == "chunked"
    assert response.content == ROWS


@pytest.mark.parametrize("path", PATHS)
def test_the_fix_sends_a_content_type_on_the_wire(fix: Server, path: str) -> None:
    response = get(fix, path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert {"date", "server", "transfer-encoding"} < set(response.headers)
    assert response.content == ROWS
