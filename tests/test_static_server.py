"""tools/static_server.py --gzip: what the browser tests count is what a
static host sends (gzip, ETag revalidation, the types module workers need)."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path

from tools.servers import serve_directory


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_gzip_etag_and_types(tmp_path: Path) -> None:
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>hello</p>" * 100)
    (tmp_path / "worker.mjs").write_text("export {};\n")
    (tmp_path / "code.wasm").write_bytes(b"\0asm")
    with serve_directory(tmp_path, gzip=True) as server:
        page = get(server.port, "/page/", **{"Accept-Encoding": "gzip"})
        assert page.status == 200
        assert page.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(page.body).decode() == "<p>hello</p>" * 100
        etag = page.getheader("ETag")
        again = get(
            server.port, "/page/", **{"Accept-Encoding": "gzip", "If-None-Match": etag}
        )
        assert (again.status, again.body) == (304, b"")
        plain = get(server.port, "/page/")
        assert plain.getheader("Content-Encoding") is None
        assert plain.body.decode() == "<p>hello</p>" * 100
        # A folder without its slash is redirected, as without --gzip.
        bare = get(server.port, "/page", **{"Accept-Encoding": "gzip"})
        assert (bare.status, bare.getheader("Location")) == (301, "/page/")
        module = get(server.port, "/worker.mjs", **{"Accept-Encoding": "gzip"})
        assert module.getheader("Content-Type") == "text/javascript"
        wasm = get(server.port, "/code.wasm", **{"Accept-Encoding": "gzip"})
        assert wasm.getheader("Content-Type") == "application/wasm"
