"""Headers built from user input under a real uvicorn (docs/security.md): what
reaches the client when a file name holds CR/LF or characters outside latin-1."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e.http_clients import raw_get, read_until_closed
from tests.e2e.server_log import ServerLog
from tools.servers import serve

CRLF = quote("a\r\nX-Evil: 1")
CJK = quote("名簿.csv")


def get(host: str, port: int, target: str) -> bytes:
    request = f"GET {target} HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n\r\n"
    return read_until_closed(host, port, request.encode())


def test_the_mistake_with_cr_lf_gets_no_answer_at_all(server_log: ServerLog) -> None:
    with serve("examples.security.download_name:app") as server:
        crlf = get(server.host, server.port, f"/export?name={CRLF}")
        cjk = raw_get(server.host, server.port, f"/export?name={CJK}".encode())
        plain = raw_get(server.host, server.port, b"/export?name=report.csv")
        log = server_log.wait_for("Illegal header value")

    # h11 refuses the header, and uvicorn closes the connection without a byte
    assert crlf == b""
    assert (
        "LocalProtocolError: Illegal header value b'attachment; filename=\"a\\r\\nX-Evil: 1\"'"
        in log
    )
    assert "UnicodeEncodeError: 'latin-1' codec" in log
    assert cjk.status == 500
    assert cjk.body == b"Internal Server Error"
    assert plain.status == 200
    assert plain.headers["content-disposition"] == 'attachment; filename="report.csv"'


@pytest.mark.parametrize("name", [CRLF, CJK])
def test_the_fix_answers_every_name(name: str) -> None:
    with serve("examples.security.download_name_fixed:app") as server:
        response = raw_get(server.host, server.port, f"/export?name={name}".encode())

    assert response.status == 200
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"export.csv\"; filename*=utf-8''{name}"
    )
    assert response.body == b"id,total\n1,20\n"
