"""docs/behind_nginx.md: what the app sees of the client's address behind
nginx, as far as its responses show it (url_for in a redirect's location)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import nginx
from tests.e2e.http_clients import raw_http
from tools.servers import serve


@pytest.mark.parametrize(
    ("conf", "location"),
    [
        # The app sees Host: app (proxy_pass's name) and answers
        # http://app/guide/v2; nginx's default proxy_redirect rewrites that
        # prefix to its own name and the port it listens on.
        ("proxy_default.conf", "http://guide.example:{port}/guide/v2"),
        # The app sees the client's Host, port included, and nginx leaves the
        # location alone (it no longer starts with http://app/).
        ("forwarded.conf", "http://guide.example:8443/guide/v2"),
    ],
)
def test_url_for_names_the_host_nginx_passes_on(
    tmp_path: Path, conf: str, location: str
) -> None:
    request = (
        b"GET /latest HTTP/1.1\r\nHost: guide.example:8443\r\nConnection: close\r\n\r\n"
    )
    with (
        serve("examples.redirects.moved:app") as app,
        nginx(conf, app.port, tmp_path) as port,
    ):
        reply = raw_http("127.0.0.1", port, request)
    assert reply.status == 307
    assert reply.headers["location"] == location.format(port=port)
