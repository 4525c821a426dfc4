"""Headers built from user input under a real uvicorn (docs/security.md), on both
of uvicorn's HTTP/1.1 parsers: what reaches the client when a file name holds
CR/LF, characters outside latin-1, or a latin-1 character outside ASCII."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tests.e2e.http_clients import raw_get, read_until_closed
from tests.e2e.server_log import ServerLog
from tools.servers import serve

CRLF = quote("a\r\nX-Evil: 1")
CJK = quote("名簿.csv")
LATIN_1 = quote("café.csv")


def get(host: str, port: int, target: str) -> bytes:
    request = f"GET {target} HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n"
    return read_until_closed(host, port, request.encode())


# what each of uvicorn's HTTP/1.1 parsers logs when it refuses the CR/LF header
REFUSED = {
    "h11": "LocalProtocolError: Illegal header value b'attachment; filename=\"a\\r\\nX-Evil: 1\"'",
    "httptools": "RuntimeError: Invalid HTTP header value.",
}


@pytest.mark.parametrize("http", list(REFUSED))
def test_the_mistake_with_cr_lf_gets_no_answer_at_all(
    http: str, server_log: ServerLog
) -> None:
    with serve("examples.security.download_name:app", http=http) as server:
        crlf = get(server.host, server.port, f"/export?name={CRLF}")
        cjk = raw_get(server.host, server.port, f"/export?name={CJK}".encode())
        plain = raw_get(server.host, server.port, b"/export?name=report.csv")
        log = server_log.wait_for(REFUSED[http], timeout=20)

    # the parser refuses the header, and uvicorn closes the connection without a byte
    assert crlf == b""
    assert REFUSED[http] in log
    assert "UnicodeEncodeError: 'latin-1' codec" in log
    assert cjk.status == 500
    assert cjk.body == b"Internal Server Error"
    assert plain.status == 200
    assert plain.headers["content-disposition"] == 'attachment; filename="report.csv"'


@pytest.mark.parametrize("http", ["h11", "httptools"])
def test_the_mistake_sends_a_latin_1_name_as_a_raw_byte(http: str) -> None:
    with serve("examples.security.download_name:app", http=http) as server:
        response = raw_get(server.host, server.port, f"/export?name={LATIN_1}".encode())

    assert response.status == 200
    # é is one byte, 0xE9, on the wire: not UTF-8 (which would be 0xC3 0xA9)
    assert (
        b'content-disposition: attachment; filename="caf\xe9.csv"\r\n' in response.raw
    )
    assert response.body == b"id,total\n1,20\n"


@pytest.mark.parametrize("name", [CRLF, CJK, LATIN_1])
def test_the_fix_answers_every_name(name: str) -> None:
    with serve("examples.security.download_name_fixed:app") as server:
        response = raw_get(server.host, server.port, f"/export?name={name}".encode())

    assert response.status == 200
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"export.csv\"; filename*=utf-8''{name.removesuffix('.csv')}.csv"
    )
    assert response.body == b"id,total\n1,20\n"


def test_uvicorn_picks_httptools_when_it_is_installed() -> None:
    config = Config("examples.security.download_name:app")  # --http auto
    config.load()

    assert config.http_protocol_class is HttpToolsProtocol
