"""docs/raising_errors.md on a real uvicorn: the app sets content-length and
content-type (and your own headers first), uvicorn adds date and server before
them, and the body FastAPI hands over for a HEAD 405 never reaches the client.

The GET requests keep the connection open, as a browser would, so uvicorn adds
no `connection` header."""

from __future__ import annotations

import httpx2

from tests.e2e.http_clients import raw_http
from tools.servers import serve


def header_names(response: httpx2.Response) -> list[str]:
    return [name.decode().lower() for name, _ in response.headers.raw]


def test_uvicorn_adds_date_and_server_to_a_raised_error() -> None:
    with (
        serve("examples.raising_errors.not_found:app") as server,
        httpx2.Client(timeout=10) as client,
    ):
        response = client.get(f"{server.url}/books/0")

    assert response.status_code == 404
    assert response.json() == {"detail": "No book with this id"}
    assert header_names(response) == [
        "date",
        "server",
        "content-length",
        "content-type",
    ]
    assert response.headers["server"] == "uvicorn"


def test_your_headers_come_first_among_the_apps_on_the_wire() -> None:
    with (
        serve("examples.raising_errors.error_headers:app") as server,
        httpx2.Client(timeout=10) as client,
    ):
        response = client.get(f"{server.url}/search")

    assert response.status_code == 401
    assert header_names(response) == [
        "date",
        "server",
        "www-authenticate",
        "content-length",
        "content-type",
    ]


def test_server_drops_the_body_of_a_head_405() -> None:
    with serve("examples.raising_errors.routing_errors:app") as server:
        response = raw_http(
            server.host,
            server.port,
            b"HEAD /authors HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n",
        )

    assert response.status == 405
    assert response.headers["allow"] == "GET"
    # The app announced its 31-byte JSON body; none of it is on the wire.
    assert response.headers["content-length"] == str(
        len(b'{"detail":"Method Not Allowed"}')
    )
    assert response.wire_body == b""
