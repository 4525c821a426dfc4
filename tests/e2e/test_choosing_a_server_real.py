"""docs/choosing_a_server.md on the four server setups it compares.

Each setup serves tests/e2e/apps/choosing_a_server_all.py once for the module:
what it declares (spec version, extensions), what the client leaving a stream
does (the disconnect table of docs/streaming.md, run on each), a FileResponse
download and range on each, and the defaults that differ. Each table row the
page shows is rebuilt here from what the server did and must appear on the page
as it is; the command lines the page shows (examples/choosing_a_server/
commands.txt) are run as they are, on a free port.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from tests.e2e.http_clients import leave_stream, parse_response, read_until_closed
from tools.servers import ROOT, Server, free_port, stop
from tools.servers import serve as serve_app
from tools.waiting import wait_until

APP = "tests.e2e.apps.choosing_a_server_all:app"
PAGE = ROOT / "docs" / "choosing_a_server.md"
COMMANDS = ROOT / "examples" / "choosing_a_server" / "commands.txt"
PAUSE = 1.0  # seconds the streams wait between items
BIG_FILE = 3 * 1024 * 1024 + 17  # bytes: many 64 KiB chunks, an odd tail
HUGE_HEADERS = (200_000, 1_000_000)  # bytes in one request header
# name on the page: tools.servers.serve arguments
SETUPS = {
    "uvicorn (h11, asyncio)": {"server": "uvicorn"},
    "uvicorn[standard] (httptools, uvloop)": {
        "server": "uvicorn",
        "http": "httptools",
        "loop": "uvloop",
    },
    "Granian": {"server": "granian"},
    "Hypercorn": {"server": "hypercorn"},
}
KINDS = {"stream": b"line ", "sse": b"data: "}
_clients = itertools.count()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "big.pdf"
    path.write_bytes(bytes(i * 7 % 251 for i in range(BIG_FILE)))
    return path


@pytest.fixture(scope="module", params=list(SETUPS))
def setup(
    request: pytest.FixtureRequest, big_file: Path
) -> Iterator[tuple[str, Server]]:
    overrides = {
        "tests.e2e.apps.cleanup_observed.PAUSE": PAUSE,
        "examples.files.download_report.SUMMARY": big_file,
    }
    with serve_app(APP, overrides=overrides, **SETUPS[request.param]) as server:
        yield request.param, server


def page_rows() -> set[str]:
    return {
        " ".join(line.split())
        for line in PAGE.read_text().splitlines()
        if line.startswith("| ")
    }


def assert_row_on_page(cells: list[str]) -> None:
    row = "| " + " | ".join(cells) + " |"
    assert row in page_rows(), f"docs/choosing_a_server.md lacks the row\n{row}"


# --- what the server declares ------------------------------------------------


def declared(server: Server) -> dict[str, object]:
    reply = httpx2.get(server.url + "/server", timeout=10)
    assert reply.status_code == 200
    return reply.json()


def extension_cell(report: dict[str, object]) -> str:
    return "yes" if "http.response.pathsend" in report["extensions"] else "no"


# --- the client leaves a stream ------------------------------------------------


def cleanups(server: Server, client: str) -> dict[str, float]:
    return httpx2.get(server.url + "/__cleanups", timeout=10).json().get(client, {})


def leave(server: Server, kind: str, generator: str) -> tuple[str, dict[str, float]]:
    """Leave after two items; the client's name and when each cleanup ran, in
    seconds after leaving."""
    client = f"{kind}-{generator}-{next(_clients)}"
    left = leave_stream(
        server.host, server.port, f"/{kind}/{generator}?client={client}", KINDS[kind], 2
    )
    wait_until(
        lambda: "dependency" in cleanups(server, client),
        timeout=PAUSE + 3,
        waiting_for="the dependency's cleanup",
    )
    seen = {
        what: when - left
        for what, when in cleanups(server, client).items()
        if what != "opened"
    }
    return client, seen


def async_cell(seen: dict[str, float]) -> str:
    # Measured 0-3 ms on every setup (or a fraction of a ms before `left`, when
    # the server is quicker than this thread to note the time); waiting for the
    # next item would be ~PAUSE.
    if seen["generator"] <= seen["dependency"] < 0.3 * PAUSE:
        return "at once: the generator's `finally`, then the dependency's"
    return f"not at once: {seen}"


def sync_cell(seen: dict[str, float]) -> str:
    # A worker thread is inside time.sleep(PAUSE): measured 1.00 s on every setup.
    if (
        0.5 * PAUSE <= seen["dependency"] <= PAUSE + 1.0
        and "generator" not in seen
        and not seen["before"]
        and seen["collected"]
    ):
        return (
            "the dependency's when the current step returns; "
            "the generator's `finally` only at garbage collection"
        )
    return f"unlike the page: {seen}"


def test_spec_version_and_what_leaving_a_stream_does(
    setup: tuple[str, Server],
) -> None:
    name, server = setup
    report = declared(server)
    # The four streams run side by side, each on its own connection.
    cases = [(kind, generator) for kind in KINDS for generator in ("async", "sync")]
    with ThreadPoolExecutor(len(cases)) as pool:
        left = dict(
            zip(cases, pool.map(lambda c: leave(server, *c), cases), strict=True)
        )
    seen = {case: times for case, (_, times) in left.items()}
    # The sync generators' finally has not run yet (the app's automatic
    # garbage collection is off), and runs once the collector frees them.
    sync_clients = {kind: left[kind, "sync"][0] for kind in KINDS}
    for kind, client in sync_clients.items():
        seen[kind, "sync"]["before"] = float("generator" in cleanups(server, client))
    httpx2.post(server.url + "/__collect", timeout=10)
    for kind, client in sync_clients.items():
        seen[kind, "sync"]["collected"] = float("generator" in cleanups(server, client))
    by_kind = {
        kind: (async_cell(seen[kind, "async"]), sync_cell(seen[kind, "sync"]))
        for kind in KINDS
    }
    # Server-sent events behave as the plain stream on each setup.
    assert by_kind["sse"] == by_kind["stream"]
    async_text, sync_text = by_kind["stream"]
    assert_row_on_page([name, f"`{report['spec_version']}`", async_text, sync_text])


# --- FileResponse ------------------------------------------------------------

FILE_HEADERS = (
    "accept-ranges",
    "content-disposition",
    "content-length",
    "content-type",
    "etag",
    "last-modified",
)


def test_file_download_and_range_are_the_same_on_each(
    setup: tuple[str, Server], big_file: Path
) -> None:
    _, server = setup
    offered = extension_cell(declared(server)) == "yes"
    content = big_file.read_bytes()
    whole = httpx2.get(server.url + "/download", timeout=30)
    assert whole.status_code == 200
    # Where the server offers pathsend, FileResponse hands it the path and
    # sends no body itself; elsewhere it sends the chunks.
    assert sent(server) == [
        "http.response.start",
        "http.response.pathsend" if offered else "http.response.body",
    ]
    assert whole.content == content
    assert {k: whole.headers[k] for k in FILE_HEADERS} == {
        "accept-ranges": "bytes",
        "content-disposition": 'attachment; filename="summary.pdf"',
        "content-length": str(BIG_FILE),
        "content-type": "application/pdf",
        "etag": whole.headers["etag"],
        "last-modified": whole.headers["last-modified"],
    }
    part = httpx2.get(
        server.url + "/download", headers={"range": "bytes=100000-199999"}, timeout=30
    )
    assert part.status_code == 206
    assert part.content == content[100_000:200_000]
    assert part.headers["content-range"] == f"bytes 100000-199999/{BIG_FILE}"
    assert part.headers["etag"] == whole.headers["etag"]
    # A range is read and sent by FileResponse, whatever the server offers.
    assert sent(server) == ["http.response.start", "http.response.body"]


def sent(server: Server) -> list[str]:
    return httpx2.get(server.url + "/__sent", timeout=10).json()


# --- defaults that differ ----------------------------------------------------


def huge_header_cell(server: Server, size: int) -> str:
    raw = read_until_closed(
        server.host,
        server.port,
        b"GET /server HTTP/1.1\r\nHost: e2e\r\nConnection: close\r\nX-Big: "
        + b"a" * size
        + b"\r\n\r\n",
    )
    reply = parse_response(raw)
    if reply.status == 200:
        return "`200`, answered"
    body = f"`{reply.body.decode()}`" if reply.body else "empty body"
    return f"`{reply.status}`, {body}"


def http10_stream_cell(server: Server) -> str:
    raw = read_until_closed(server.host, server.port, b"GET /lines HTTP/1.0\r\n\r\n")
    status_line, _, rest = raw.partition(b"\r\n")
    headers = rest.partition(b"\r\n\r\n")[0].lower()
    framing = (
        "chunked" if b"transfer-encoding: chunked" in headers else "ended by closing"
    )
    # Hypercorn's status line ends "200 " (no reason phrase): shown without the space.
    return f"`{status_line.decode().rstrip()}`, {framing}"


def test_defaults_that_differ(setup: tuple[str, Server]) -> None:
    name, server = setup
    report = declared(server)
    reply = httpx2.get(server.url + "/lines", timeout=10)
    assert reply.text == "line 1\nline 2\nline 3\n"
    # Every setup chunks a stream for an HTTP/1.1 client and sends a date.
    assert reply.headers["transfer-encoding"] == "chunked"
    assert "date" in reply.headers
    # ...and keeps the connection open for the next request (keep-alive).
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    sockets = []
    try:
        for _ in range(2):
            connection.request("GET", "/server")
            answer = connection.getresponse()
            assert answer.status == 200
            assert json.loads(answer.read()) == report
            # http.client drops its socket after a reply that closes it.
            sockets.append(connection.sock)
    finally:
        connection.close()
    assert sockets[0] is not None
    assert sockets[1] is sockets[0]
    assert_row_on_page(
        [
            name,
            f"`{reply.headers['server']}`",
            extension_cell(report),
            *(huge_header_cell(server, size) for size in HUGE_HEADERS),
            http10_stream_cell(server),
        ]
    )


# --- the command lines the page shows ----------------------------------------


def commands() -> list[str]:
    return [
        line.removeprefix("$ ")
        for line in COMMANDS.read_text().splitlines()
        if line.startswith("$ ")
    ]


@contextmanager
def run_command(command: str) -> Iterator[Server]:
    """Run the page's command with its port 8000 replaced by a free one."""
    port = free_port()
    argv = shlex.split(command.replace("8000", str(port)))
    argv[0] = str(Path(sys.executable).parent / argv[0])
    proc = subprocess.Popen(argv, cwd=ROOT, start_new_session=True, env=os.environ)
    server = Server(proc.pid, "127.0.0.1", port)

    def answering() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{command!r} exited with {proc.returncode}")
        try:
            return httpx2.get(server.url + "/server", timeout=2).status_code == 200
        except httpx2.HTTPError:
            return False

    try:
        wait_until(answering, 60, interval=0.1, waiting_for=command)
        yield server
    finally:
        stop(proc)


def test_the_page_shows_one_command_per_setup() -> None:
    assert len(commands()) == len(SETUPS)
    assert '--8<-- "examples/choosing_a_server/commands.txt"' in PAGE.read_text()


@pytest.mark.parametrize("number", range(len(SETUPS)))
def test_each_command_starts_its_setup(number: int) -> None:
    name = list(SETUPS)[number]
    with run_command(commands()[number]) as server:
        # The same row as the launcher's: the same server, parser included
        # (h11 and httptools answer the huge header differently).
        assert_row_on_page(command_row(server, name))


def command_row(server: Server, name: str) -> list[str]:
    report = declared(server)
    reply = httpx2.get(server.url + "/lines", timeout=10)
    return [
        name,
        f"`{reply.headers['server']}`",
        extension_cell(report),
        *(huge_header_cell(server, size) for size in HUGE_HEADERS),
        http10_stream_cell(server),
    ]


def test_uvicorn_without_http_uses_httptools_once_installed() -> None:
    # The e2e environment has httptools (the servers group), as after
    # `pip install uvicorn[standard]`: no --http gives the httptools row.
    plain = "uvicorn examples.choosing_a_server.server_report:app --port 8000"
    assert f"`{plain.removesuffix(' --port 8000')}`" in PAGE.read_text()
    with run_command(plain) as server:
        assert_row_on_page(command_row(server, "uvicorn[standard] (httptools, uvloop)"))


def test_granians_default_interface_is_rsgi() -> None:
    # Why the page's granian line needs --interface asgi.
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "granian"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    option = " ".join(shown.split("--interface", 1)[1].split("--http", 1)[0].split())
    assert option.startswith("[asgi|asginl|rsgi|wsgi]")
    assert "default: (rsgi)" in option
