"""docs/choosing_a_server.md, "Behind a proxy": each setup behind a real nginx.

nginx (tools/nginx.py) stands for a proxy that ends TLS for the client
203.0.113.7: it sets X-Forwarded-Proto and X-Forwarded-For to those values.
Each setup is started with the page's command lines as they are (on a free
port): first as "Run each one" shows them (commands.txt), then as "Behind a
proxy" shows them (proxy_commands.txt). The page's table row is rebuilt from
what the app saw and must appear on the page as it is. Also: nginx's own
answer to a 200 KB request header, and a stream to an HTTP/1.0 client
through nginx's default config.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from examples.choosing_a_server import server_report
from tests.e2e.http_clients import parse_response, read_until_closed
from tests.e2e.test_choosing_a_server_real import (
    SETUPS,
    assert_row_on_page,
    commands,
    run_command,
)
from tools.nginx import proxy
from tools.servers import ROOT

PROXY_COMMANDS = ROOT / "examples" / "choosing_a_server" / "proxy_commands.txt"
CURL_COMMANDS = ROOT / "examples" / "choosing_a_server" / "curl_commands.txt"
PAGE = ROOT / "docs" / "choosing_a_server.md"
DEFAULT_CONF = ROOT / "examples" / "behind_nginx" / "proxy_default.conf"
TLS_LIKE = """\
location / {
    proxy_pass http://app;
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-Proto https;
    proxy_set_header X-Forwarded-For 203.0.113.7;
}
"""


def proxy_commands() -> list[str]:
    return [
        line.removeprefix("$ ")
        for line in PROXY_COMMANDS.read_text().splitlines()
        if line.startswith("$ ")
    ]


def seen_through_nginx(command: str, work: Path) -> str:
    conf = work / "tls_like.conf"
    work.mkdir(parents=True, exist_ok=True)
    conf.write_text(TLS_LIKE)
    with run_command(command) as server, proxy(conf, server.port, work) as port:
        url = f"http://127.0.0.1:{port}"
        headers = {"host": "guide.example"}
        where = httpx2.get(url + "/where/", headers=headers, timeout=10)
        assert where.status_code == 200
        # The client's own X-Forwarded-Host passes nginx (the config does not
        # set it): no setup may put it into a link.
        forged_host = {**headers, "x-forwarded-host": "evil.example"}
        moved = httpx2.get(url + "/where", headers=forged_host, timeout=10)
        # Starlette's redirect to the slashed path, built from what it saw.
        assert moved.status_code == 307
        seen = where.json()
        # Another address on this machine, forging all three headers, is
        # believed by no setup (only 127.0.0.1, nginx's, is trusted).
        transport = httpx2.HTTPTransport(local_address="127.0.0.2")
        with httpx2.Client(transport=transport, timeout=10) as other:
            forged = other.get(
                f"http://{server.host}:{server.port}/where/",
                headers={
                    "x-forwarded-for": "6.6.6.6",
                    "x-forwarded-proto": "https",
                    "x-forwarded-host": "evil.example",
                },
            )
        assert forged.json() == {"client": "127.0.0.2", "scheme": "http"}
        return (
            f"client `{seen['client']}`, `{seen['scheme']}`, "
            f"redirect to `{moved.headers['location']}`"
        )


def test_the_page_shows_one_proxy_command_per_setup() -> None:
    assert len(proxy_commands()) == len(SETUPS)
    text = PAGE.read_text()
    for name in ("proxy_commands", "curl_commands"):
        assert f'--8<-- "examples/choosing_a_server/{name}.txt"' in text


@pytest.mark.parametrize("number", range(len(SETUPS)))
def test_who_the_app_sees_behind_nginx(number: int, tmp_path: Path) -> None:
    name = list(SETUPS)[number]
    as_run = seen_through_nginx(commands()[number], tmp_path / "run")
    told = seen_through_nginx(proxy_commands()[number], tmp_path / "told")
    assert told == (
        "client `203.0.113.7`, `https`, redirect to `https://guide.example/where/`"
    )
    assert_row_on_page([name, as_run, told])


def test_nginx_answers_a_huge_header_and_decodes_an_http10_stream(
    tmp_path: Path,
) -> None:
    # uvicorn with httptools: the one that answers a 200 KB header itself, and
    # chunks a stream even for an HTTP/1.0 request (which nginx sends by default).
    with (
        run_command(commands()[1]) as server,
        proxy(DEFAULT_CONF, server.port, tmp_path) as port,
    ):
        direct = read_until_closed(
            server.host, server.port, b"GET /lines HTTP/1.0\r\n\r\n"
        )
        assert b"transfer-encoding: chunked" in direct.lower()
        assert b"7\r\nline 1\n\r\n" in direct
        for version in (b"1.0", b"1.1"):
            raw = read_until_closed(
                "127.0.0.1",
                port,
                b"GET /lines HTTP/" + version + b"\r\nHost: e2e\r\n"
                b"Connection: close\r\n\r\n",
            )
            reply = parse_response(raw)
            assert reply.status == 200
            assert reply.body == b"line 1\nline 2\nline 3\n"
        big = b"X-Big: " + b"a" * 200_000 + b"\r\n"
        request = b"GET /server HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\n"
        assert (
            parse_response(
                read_until_closed(server.host, server.port, request + big + b"\r\n")
            ).status
            == 200
        )
        reply = parse_response(
            read_until_closed("127.0.0.1", port, request + big + b"\r\n")
        )
        assert reply.status == 400
        assert reply.headers["server"].startswith("nginx")
        # The page's curl lines, run as they are against the same server.
        out = [
            subprocess.run(
                [
                    "bash",
                    "-c",
                    line.removeprefix("$ ").replace("8000", str(server.port)),
                ],
                cwd=tmp_path,
                capture_output=True,
                check=True,
                timeout=30,
            ).stdout
            for line in CURL_COMMANDS.read_text().splitlines()
        ]
        assert b"transfer-encoding: chunked" in out[0].lower()
        assert b"7\r\nline 1\n\r\n" in out[0]
        assert out[2] == b"200\n"


@pytest.mark.parametrize("server", ["uvicorn", "granian", "hypercorn"])
def test_each_server_takes_workers(server: str) -> None:
    # "For more processes add `--workers N`": each command line knows it.
    shown = subprocess.run(
        [str(Path(sys.executable).parent / server), "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "--workers" in shown
    assert "add `--workers N`" in PAGE.read_text()


def test_hypercorns_own_middleware_believes_whoever_connects() -> None:
    """The page: unwrapped, ProxyFixMiddleware believes any address, any
    scheme and X-Forwarded-Host (hypercorn_app() exists because of this)."""
    from hypercorn.middleware import ProxyFixMiddleware

    bare = ProxyFixMiddleware(server_report.app, mode="legacy", trusted_hops=1)
    other = TestClient(bare, client=("127.0.0.2", 50000))
    forged = {
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "evil.example",
    }

    assert other.get("/where/", headers=forged).json() == {
        "client": "6.6.6.6",
        "scheme": "https",
    }
    moved = other.get("/where", headers=forged, follow_redirects=False)
    assert moved.headers["location"] == "https://evil.example/where/"
    odd = other.get(
        "/where", headers={"x-forwarded-proto": "javascript"}, follow_redirects=False
    )
    assert odd.headers["location"].startswith("javascript://")
