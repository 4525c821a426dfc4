"""docs/behind_nginx.md: what the app sees of the client's host behind nginx,
as far as its responses show it (url_for in a redirect's location), and what
a client can make it believe with its own Host and X-Forwarded-* headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.behind_nginx_support import nginx, site
from tests.e2e.http_clients import raw_http, read_until_closed
from tools.servers import serve


def latest(host: str, extra: str = "") -> bytes:
    return f"GET /latest HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode()


@pytest.mark.parametrize(
    ("extra", "location"),
    [
        # The app sees Host: app (proxy_pass's name) and answers
        # http://app/guide/v2; nginx's default proxy_redirect rewrites that
        # prefix to its own name and the port it listens on.
        ("", "http://guide.example:{port}/guide/v2"),
        # The client's own X-Forwarded-Proto goes through, uvicorn believes it
        # (nginx is 127.0.0.1), and the location names the upstream: broken.
        ("X-Forwarded-Proto: https\r\n", "https://app/guide/v2"),
    ],
)
def test_the_minimal_config_passes_the_clients_x_forwarded_proto_on(
    tmp_path: Path, extra: str, location: str
) -> None:
    with (
        serve("examples.redirects.moved:app") as app,
        nginx("proxy_default.conf", app.port, tmp_path) as port,
    ):
        reply = raw_http("127.0.0.1", port, latest("guide.example:8443", extra))
    assert reply.status == 307
    assert reply.headers["location"] == location.format(port=port)


@pytest.mark.parametrize(
    ("host", "extra"),
    [
        ("guide.example", ""),
        ("guide.example:8443", ""),  # $host drops the port
        ("Guide.Example:1", ""),  # and lowercases the name
        ("guide.example", "X-Forwarded-Proto: https\r\n"),  # overwritten
        ("guide.example", "X-Forwarded-Host: evil.example\r\n"),
    ],
)
def test_site_conf_gives_the_app_its_own_host_name(
    tmp_path: Path, host: str, extra: str
) -> None:
    with (
        serve("examples.redirects.moved:app") as app,
        site(app.port, tmp_path) as port,
    ):
        reply = raw_http("127.0.0.1", port, latest(host, extra))
    assert reply.status == 307
    assert reply.headers["location"] == "http://guide.example/guide/v2"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8443", "app"])
def test_site_conf_closes_on_any_other_host(tmp_path: Path, host: str) -> None:
    with (
        serve("examples.redirects.moved:app") as app,
        site(app.port, tmp_path) as port,
    ):
        raw = read_until_closed("127.0.0.1", port, latest(host))
    assert raw == b""  # 444: no answer at all
