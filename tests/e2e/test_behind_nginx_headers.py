"""docs/behind_nginx.md: what the app sees of a request behind nginx (the
host, as url_for in a redirect's location shows it; the client's address;
the HTTP version) and what a client can make it believe with its own Host
and X-Forwarded-* headers; what site.conf does with request bodies, requests
for other hosts, and gzip under Debian's main config.

One uvicorn (tests/e2e/apps/behind_nginx_seen.py: the Redirects page's moved
app plus a few routes) serves every test; each config's nginx is started once.
"""

from __future__ import annotations

import json
import socket
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import h11
import pytest

from tests.e2e.behind_nginx_support import CONFS, nginx, site
from tests.e2e.http_clients import (
    MiB,
    RawResponse,
    parse_response,
    raw_http,
    read_until_closed,
)
from tools.nginx import MAIN, TEMP_PATHS, user_directive
from tools.servers import Server, serve

CLIENT = "127.0.0.2"  # the test client's own address, not nginx's 127.0.0.1


@pytest.fixture(scope="module")
def app() -> Iterator[Server]:
    with serve("tests.e2e.apps.behind_nginx_seen:app") as app:
        yield app


@pytest.fixture(scope="module")
def default_port(
    app: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    with nginx("proxy_default.conf", app.port, tmp_path_factory.mktemp("d")) as port:
        yield port


@pytest.fixture(scope="module")
def http11_port(app: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with nginx("http11.conf", app.port, tmp_path_factory.mktemp("h")) as port:
        yield port


@pytest.fixture(scope="module")
def site_port(app: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with site(app.port, tmp_path_factory.mktemp("s")) as port:
        yield port


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
    default_port: int, extra: str, location: str
) -> None:
    reply = raw_http("127.0.0.1", default_port, latest("guide.example:8443", extra))
    assert reply.status == 307
    assert reply.headers["location"] == location.format(port=default_port)


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
    site_port: int, host: str, extra: str
) -> None:
    reply = raw_http("127.0.0.1", site_port, latest(host, extra))
    assert reply.status == 307
    assert reply.headers["location"] == "http://guide.example/guide/v2"


@pytest.mark.parametrize(
    "request_line",
    [
        *(latest(host) for host in ["evil.example", "evil.example:8443", "app"]),
        latest("127.0.0.1"),  # the server's address as its name
        b"GET /latest HTTP/1.0\r\n\r\n",  # no Host at all, as some health checks
    ],
)
def test_site_conf_closes_on_any_other_host(
    site_port: int, request_line: bytes
) -> None:
    raw = read_until_closed("127.0.0.1", site_port, request_line)
    assert raw == b""  # 444: no answer at all


def seen_from(port: int, extra: str = "", host: str = "guide.example") -> dict:
    """GET /seen from CLIENT's address; what the app saw."""
    request = f"GET /seen HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    with socket.socket() as sock:
        sock.settimeout(10)
        sock.bind((CLIENT, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(request.encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    reply = parse_response(raw)
    assert reply.status == 200
    return json.loads(reply.body)


SPOOFED = "X-Forwarded-For: 6.6.6.6\r\n"


def test_the_minimal_config_lets_a_client_choose_its_address(default_port: int) -> None:
    # Without the header, the app sees nginx's address; with it, the client's
    # word, which uvicorn believes because nginx is 127.0.0.1.
    assert seen_from(default_port)["client"] == "127.0.0.1"
    assert seen_from(default_port, SPOOFED)["client"] == "6.6.6.6"


@pytest.mark.parametrize("extra", ["", SPOOFED])
def test_site_conf_gives_the_app_the_clients_real_address(
    site_port: int, extra: str
) -> None:
    assert seen_from(site_port, extra)["client"] == CLIENT


@pytest.mark.parametrize(
    ("fixture", "version"),
    [("default_port", "1.0"), ("http11_port", "1.1"), ("site_port", "1.1")],
)
def test_the_http_version_nginx_speaks_to_the_app(
    request: pytest.FixtureRequest, fixture: str, version: str
) -> None:
    seen = seen_from(request.getfixturevalue(fixture))
    assert seen["http_version"] == version
    # No keep-alive to the app: nginx asks uvicorn to close after each answer.
    assert seen["connection"] == "close"


def upload(port: int, size: int) -> bytes:
    head = (
        f"POST /upload HTTP/1.1\r\nHost: guide.example\r\nContent-Length: {size}\r\n"
        "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + b"x" * size


@pytest.mark.parametrize("size", [1000, MiB + MiB // 2])  # over nginx's default 1m
def test_site_conf_passes_a_body_under_its_limit(site_port: int, size: int) -> None:
    reply = raw_http("127.0.0.1", site_port, upload(site_port, size))
    assert reply.status == 200
    assert json.loads(reply.body) == {"size": size}  # the app read it all


def refused_upload(port: int, size: int) -> RawResponse:
    """Send only the head of an upload announcing `size` bytes and read the
    answer (nginx answers an announced body over its limit before any of it
    arrives, then waits a while for the body it would throw away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(upload(port, size)[:-size])  # the head only
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
            try:
                return parse_response(raw)
            except h11.RemoteProtocolError:  # not all of it yet
                continue
    raise AssertionError(f"closed before a whole answer: {raw!r}")


def test_without_client_max_body_size_nginx_refuses_over_1_mib(
    default_port: int,
) -> None:
    # The one-setting files keep nginx's default, 1m: 1.5 MiB is too much.
    reply = refused_upload(default_port, MiB + MiB // 2)
    assert reply.status == 413
    assert b"<hr><center>nginx/" in reply.body  # nginx's page, not the app's


def test_site_conf_answers_a_body_over_its_limit_itself(site_port: int) -> None:
    reply = refused_upload(site_port, 3 * MiB)
    assert reply.status == 413
    assert reply.headers["content-type"] == "text/html"  # nginx's page, not the app's
    assert b"<hr><center>nginx/" in reply.body
    assert reply.headers["server"].startswith("nginx")


def test_site_conf_under_debians_gzip_on_says_vary_and_compresses_behind_a_cdn(
    app: Server, tmp_path: Path
) -> None:
    """Debian's nginx.conf turns gzip on (for HTML); site.conf adds
    gzip_vary and gzip_proxied, which Debian leaves commented out."""
    request = (
        b"GET /page HTTP/1.1\r\nHost: guide.example\r\nAccept-Encoding: gzip\r\n"
        b"Via: 1.1 cdn\r\nConnection: close\r\n\r\n"
    )
    with site(app.port, tmp_path, http="gzip on;") as port:
        reply = raw_http("127.0.0.1", port, request)
    assert reply.status == 200
    assert reply.headers.get("content-encoding") == "gzip"
    assert reply.headers.get("vary") == "Accept-Encoding"
    assert zlib.decompress(reply.body, wbits=31).startswith(b"<h1>Welcome</h1>")


def test_debians_main_config_leaves_gzip_vary_and_gzip_proxied_out() -> None:
    settings = [
        line.strip() for line in Path("/etc/nginx/nginx.conf").read_text().splitlines()
    ]
    assert "gzip on;" in settings
    assert "# gzip_vary on;" in settings
    assert "# gzip_proxied any;" in settings
    assert not any(line.startswith(("gzip_vary", "gzip_proxied")) for line in settings)


def nginx_t(work: Path, *includes: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` (checks a config, binds no port) on a main config that
    includes `includes` in its http block, as Debian's includes its sites."""
    main = MAIN.format(user=user_directive(), work=work, log_level="warn")
    lines = "".join(f"    include {path};\n" for path in includes)
    path = work / "nginx.conf"
    path.write_text(f"{main}http {{\n{TEMP_PATHS.format(work=work)}{lines}}}\n")
    return subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            f"{work}/",
            "-e",
            str(work / "error.log"),
            "-c",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_debians_stock_site_collides_with_site_conf(tmp_path: Path) -> None:
    stock = Path("/etc/nginx/sites-available/default")
    assert Path("/etc/nginx/sites-enabled/default").resolve() == stock  # enabled
    alone = nginx_t(tmp_path, CONFS / "site.conf")
    assert alone.returncode == 0, alone.stderr
    both = nginx_t(tmp_path, stock, CONFS / "site.conf")
    assert both.returncode == 1
    assert "a duplicate default server for 0.0.0.0:80" in both.stderr
    # What the page says removing it drops: the stock site's IPv6 listener.
    assert "listen [::]:80 default_server;" in stock.read_text()
