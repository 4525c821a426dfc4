"""Redirects on a real uvicorn (docs/redirects.md), followed by curl -L and by
httpx2: the chain of hops, the method each client uses after 302, 303 and 307,
the Location header exactly as it is sent on the wire, and the Host header
url_for trusts unless TrustedHostMiddleware refuses it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import httpx2
import pytest

from tests.e2e.http_clients import read_until_closed
from tests.e2e.server_log import ServerLog
from tools.servers import Server, serve


@pytest.fixture(scope="module")
def moved() -> Iterator[Server]:
    with serve("examples.redirects.moved:app") as running:
        yield running


def run_curl(curl: str, *args: str) -> list[str]:
    """Run curl -sS -L -i and return the status line of each answer it read."""
    result = subprocess.run(
        [curl, "-sS", "-L", "-i", "--max-time", "10", "--max-redirs", "5", *args],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return [
        line
        for line in result.stdout.decode().split("\r\n")
        if line.startswith("HTTP/")
    ] + [result.stdout.decode().rpartition("\r\n\r\n")[2]]


def test_curl_follows_the_chain_to_the_new_page(moved: Server, curl: str) -> None:
    *statuses, body = run_curl(curl, moved.url + "/manual")

    assert statuses == [
        "HTTP/1.1 301 Moved Permanently",
        "HTTP/1.1 307 Temporary Redirect",
        "HTTP/1.1 200 OK",
    ]
    assert body == '{"page":"guide, second edition"}'


def test_the_location_on_the_wire_is_the_path_as_given(moved: Server) -> None:
    response = httpx2.get(moved.url + "/news", timeout=20)

    assert response.status_code == 302
    assert response.headers["location"] == "/guide/v2#news"
    assert response.content == b""


def test_url_for_puts_the_host_the_client_sent_in_the_location(moved: Server) -> None:
    response = httpx2.get(moved.url + "/latest", timeout=20)
    forged = httpx2.get(
        moved.url + "/latest", headers={"host": "evil.example"}, timeout=20
    )

    assert response.headers["location"] == moved.url + "/guide/v2"
    assert forged.status_code == 307
    assert forged.headers["location"] == "http://evil.example/guide/v2"


def test_trusted_host_middleware_answers_a_forged_host_with_400() -> None:
    with serve("examples.redirects.trusted_host:app") as server:
        response = httpx2.get(server.url + "/latest", timeout=20)
        forged = httpx2.get(
            server.url + "/latest", headers={"host": "evil.example"}, timeout=20
        )

    assert response.status_code == 307
    assert response.headers["location"] == server.url + "/guide/v2"
    assert forged.status_code == 400
    assert forged.text == "Invalid host header"
    assert "location" not in forged.headers


@pytest.mark.parametrize(
    ("allowed", "scheme"),
    [(None, "https"), ("10.0.0.7", "http")],
    ids=["proxy on 127.0.0.1 (the default)", "proxy elsewhere"],
)
def test_url_for_takes_https_only_from_a_proxy_uvicorn_trusts(
    allowed: str | None, scheme: str
) -> None:
    # uvicorn's --forwarded-allow-ips (read from FORWARDED_ALLOW_IPS) says
    # whose X-Forwarded-Proto it believes; this test's requests come from
    # 127.0.0.1, so listing 10.0.0.7 alone stands for a proxy on another machine.
    env = {"FORWARDED_ALLOW_IPS": allowed} if allowed else None
    with serve("examples.redirects.trusted_host:app", env=env) as server:
        response = httpx2.get(
            server.url + "/latest", headers={"x-forwarded-proto": "https"}, timeout=20
        )

    assert response.status_code == 307
    assert response.headers["location"] == (
        f"{scheme}://{server.host}:{server.port}/guide/v2"
    )


def test_uvicorn_adds_date_and_server_to_the_redirect(moved: Server) -> None:
    response = httpx2.get(moved.url + "/guide", timeout=20)

    assert set(response.headers) == {"content-length", "date", "location", "server"}
    assert response.headers["server"] == "uvicorn"


def test_httpx2_follows_the_chain_and_keeps_the_history(moved: Server) -> None:
    response = httpx2.get(moved.url + "/handbook", follow_redirects=True, timeout=20)

    assert [(r.status_code, r.url.path) for r in response.history] == [
        (308, "/handbook"),
        (307, "/guide"),
    ]
    assert response.json() == {"page": "guide, second edition"}


@pytest.mark.parametrize(
    ("app", "statuses", "method"),
    [
        ("see_other", ["303 See Other", "200 OK"], "GET"),
        ("post_then_307", ["307 Temporary Redirect", "405 Method Not Allowed"], "POST"),
        ("post_then_302", ["302 Found", "200 OK"], "GET"),
    ],
)
def test_after_a_post_curl_and_httpx2_use_the_method_the_status_asks_for(
    curl: str, app: str, statuses: list[str], method: str
) -> None:
    package = "tests.e2e.apps" if app == "post_then_302" else "examples.redirects"
    with serve(f"{package}.{app}:app") as server:
        # --data sends a POST; curl -L then does what the status says
        *seen, _ = run_curl(curl, "--data", "", server.url + "/orders")
        response = httpx2.post(
            server.url + "/orders", follow_redirects=True, timeout=20
        )

    assert seen == [f"HTTP/1.1 {status}" for status in statuses]
    assert response.request.method == method
    assert response.status_code == int(statuses[1][:3])


# A hand-set location that starts with a space or a tab, or holds a CR LF, on
# each of uvicorn's HTTP/1.1 parsers: the header line it sends, or None when it
# sent nothing at all (and the error it logged).
HAND_SET = {
    ("h11", b"%20//evil.example"): (None, "LocalProtocolError: Illegal header"),
    ("h11", b"%09//evil.example"): (None, "LocalProtocolError: Illegal header"),
    ("h11", b"/%0D%0ASet-Cookie:%20a=b"): (None, "LocalProtocolError: Illegal"),
    ("httptools", b"%20//evil.example"): (b"location:  //evil.example", None),
    ("httptools", b"%09//evil.example"): (b"location: \t//evil.example", None),
    ("httptools", b"/%0D%0ASet-Cookie:%20a=b"): (None, "Invalid HTTP header value"),
}

BLANK_NAMES = {b"%20": "space", b"%09": "tab"}


@pytest.mark.parametrize(
    ("http", "next_page"),
    list(HAND_SET),
    ids=[f"{http}-{BLANK_NAMES.get(value[:3], 'CRLF')}" for http, value in HAND_SET],
)
def test_what_uvicorn_sends_for_a_hand_set_location(
    http: str, next_page: bytes, server_log: ServerLog
) -> None:
    sent, error = HAND_SET[http, next_page]
    with serve("tests.e2e.apps.raw_location:app", http=http) as server:
        raw = read_until_closed(
            server.host,
            server.port,
            b"GET /signed-in?next=" + next_page + b" HTTP/1.1\r\n"
            b"Host: e2e\r\nConnection: close\r\n\r\n",
            timeout=20,
        )
        log = server_log.wait_for(error, timeout=20) if error else server_log.read()
        # a value either parser can carry is sent as it is
        fine = httpx2.get(server.url + "/signed-in?next=/%5Cevil.example", timeout=20)

    if sent is None:
        assert raw == b""  # the connection closed without a byte of answer
        assert error in log
    else:
        assert raw.startswith(b"HTTP/1.1 303 See Other\r\n")
        assert sent in raw.split(b"\r\n")
        assert b"set-cookie" not in raw.lower()
        assert "Exception in ASGI application" not in log
    assert fine.headers["location"] == "/\\evil.example"
