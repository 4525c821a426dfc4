"""The file variants the benchmarks time send the same bytes and refuse bad names
(docs/performance.md)."""

from __future__ import annotations

import asyncio
import asyncio.selector_events
import socket
import sys
import tracemalloc
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.responses import Response

from examples.behind_nginx import downloads
from examples.performance import files_variants
from tools.bench import files_bench
from tools.bench.common import Settings, Timed

# --- the file variants -----------------------------------------------------------


def test_file_variants_send_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / "data.bin", 200_000)
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)

    bodies = set()
    for _, _, prefix, _ in files_bench.VARIANTS:
        response = client.get(f"{prefix}/data.bin")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        bodies.add(response.content)

    assert bodies == {(tmp_path / "data.bin").read_bytes()}


def test_only_file_response_answers_a_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / "data.bin", 1000)
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)
    headers = {"Range": "bytes=0-9"}

    ranged = client.get("/file-response/data.bin", headers=headers)
    whole = client.get("/in-memory/data.bin", headers=headers)

    assert (ranged.status_code, len(ranged.content)) == (206, 10)
    assert (whole.status_code, len(whole.content)) == (200, 1000)


@pytest.mark.parametrize("name", [".hidden", "a..b", "noext"])
def test_file_name_must_be_a_plain_name(name: str) -> None:
    client = TestClient(files_variants.app)

    assert client.get(f"/in-memory/{name}").status_code == 422


@pytest.mark.parametrize("prefix", ["/file-response", "/in-memory"])
@pytest.mark.parametrize(
    "name", ["missing.bin", "folder.d", "é.bin", "a" * 96 + ".bin"]
)
def test_a_name_that_is_no_file_gets_404(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str, name: str
) -> None:
    (tmp_path / "folder.d").mkdir()
    monkeypatch.setattr(files_variants, "FILES", tmp_path)
    client = TestClient(files_variants.app)

    response = client.get(f"{prefix}/{name}")

    assert (response.status_code, response.json()) == (404, {"detail": "No such file"})


def test_an_overlong_name_gets_422() -> None:
    client = TestClient(files_variants.app)

    assert client.get("/in-memory/" + "a" * 300 + ".bin").status_code == 422


def test_make_file_writes_exactly_the_size(tmp_path: Path) -> None:
    files_bench.make_file(tmp_path / "f.bin", 3 * files_bench.BLOCK + 5)

    assert (tmp_path / "f.bin").stat().st_size == 3 * files_bench.BLOCK + 5


@pytest.mark.parametrize("settings", [Settings.full(), Settings.quick_run()])
def test_the_x_accel_app_accepts_every_benchmark_file(settings: Settings) -> None:
    """examples/behind_nginx/downloads.py serves only plain names: the bench's are."""
    names = [files_bench.file_name(label) for label, _ in settings.file_sizes]

    for name in [*names, files_bench.WARMUP]:
        assert downloads.FILE_NAME.fullmatch(name), name
    assert files_bench.TOKEN == {"X-Token": downloads.TOKEN}


def test_the_x_accel_app_answers_the_benchmark_with_a_redirect_to_nginx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files_bench.make_file(tmp_path / files_bench.WARMUP, 1024)
    monkeypatch.setattr(downloads, "REPORTS", tmp_path)
    client = TestClient(downloads.app)

    allowed = client.get(f"/downloads/{files_bench.WARMUP}", headers=files_bench.TOKEN)
    refused = client.get(f"/downloads/{files_bench.WARMUP}")

    assert allowed.status_code == 200
    assert allowed.headers["x-accel-redirect"] == (
        f"/protected-reports/{files_bench.WARMUP}"
    )
    assert allowed.content == b""
    assert refused.status_code == 403


def test_only_sizes_up_to_100_mb_are_read_into_memory() -> None:
    settings = Settings.full()

    assert [label for label, _ in files_bench.sizes_for("in_memory", settings)] == [
        "10 MB",
        "100 MB",
    ]
    assert files_bench.sizes_for("file_response", settings) == list(settings.file_sizes)


def test_x_accel_goes_through_nginx_with_sendfile_on_as_the_ceiling_does() -> None:
    from tools import nginx as shared
    from tools.bench import nginx

    assert nginx.PROXY_SENDFILE.replace(nginx.SENDFILE, "") == shared.PROXY
    assert "sendfile on;" in nginx.CONFIG and "tcp_nopush on;" in nginx.CONFIG
    assert "sendfile" not in shared.PROXY  # nginx's own default: off
    assert files_bench.X_ACCEL_CONF.read_text().count("alias reports/;") == 1


def test_asyncio_keeps_what_the_socket_does_not_take_until_the_client_reads() -> None:
    """docs/performance.md: a body handed to asyncio at once is partly taken by
    the socket; on Python 3.11 asyncio copies the rest into a buffer of its own
    until the client reads it, from 3.12 on it keeps the body without a copy."""
    size = 8 * 2**20

    async def main() -> tuple[int, int, int, int]:
        loop = asyncio.get_running_loop()
        server_side, client_side = socket.socketpair()
        client_side.setblocking(False)
        transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, server_side)
        body = bytes(size)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        transport.write(body)  # as uvicorn does with a whole body
        copied = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        buffered = transport.get_write_buffer_size()
        received = 0
        async with asyncio.timeout(30):
            while received < size:
                received += len(await loop.sock_recv(client_side, 2**20))
            while transport.get_write_buffer_size():
                await asyncio.sleep(0.01)
        left = transport.get_write_buffer_size()
        transport.close()
        client_side.close()
        return buffered, copied, received, left

    buffered, copied, received, left = asyncio.run(main())

    assert size // 2 < buffered < size  # the socket took part of it at once
    if sys.version_info < (3, 12):
        assert copied >= buffered  # the rest is a copy, beside the body itself
    else:
        assert copied < 2**16  # a reference to the body, no copy
    assert (received, left) == (size, 0)  # the client's reads empty it


def test_uvicorn_hands_a_whole_body_to_asyncio_in_one_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/performance.md: "uvicorn hands the whole body to asyncio at once"
    (uvicorn with h11 on asyncio, as the benchmark runs it): one transport
    write, of the body object itself, which the test above shows asyncio
    copying on Python 3.11 and keeping by reference from 3.12."""
    body = bytes(4 * 2**20)
    writes: list[tuple[int, bool]] = []
    write = asyncio.selector_events._SelectorSocketTransport.write

    def recording(self, data) -> None:
        writes.append((len(data), data is body))
        write(self, data)

    monkeypatch.setattr(
        asyncio.selector_events._SelectorSocketTransport, "write", recording
    )

    async def app(scope, receive, send) -> None:
        if scope["type"] == "http":
            await Response(body)(scope, receive, send)

    async def main() -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        config = uvicorn.Config(
            app, http="h11", loop="asyncio", lifespan="off", log_level="warning"
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        try:
            async with asyncio.timeout(30):
                while not server.started:
                    await asyncio.sleep(0.01)
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                received = len(await reader.read())
                writer.close()
        finally:
            server.should_exit = True
            await serving
            listener.close()
        return received

    received = asyncio.run(main())

    assert [n for n, whole in writes if whole] == [len(body)]  # one write, the body
    assert received > len(body)  # the headers and the whole body arrived


def timed(total_s: float, body_bytes: int = 1000, status: int = 200) -> Timed:
    return Timed(
        status=status, ttfb_s=total_s / 10, total_s=total_s, body_bytes=body_bytes
    )


def test_a_round_keeps_the_median_download_and_its_first_byte() -> None:
    """Three downloads: the one with the median total time, first byte included,
    whatever order they came in; every download's rate is kept beside it."""
    timings = [timed(0.5), timed(0.1), timed(0.2)]

    row = files_bench.row(2, "1 KB", 1000, "nginx", timings)

    assert row["total_ms"] == pytest.approx(200)
    assert row["ttfb_ms"] == pytest.approx(20)
    assert row["mb_per_s"] == pytest.approx(1000 / 0.2 / 1e6)
    assert row["downloads_mb_per_s"] == pytest.approx(
        [1000 / t / 1e6 for t in (0.5, 0.1, 0.2)]
    )
    assert (row["repeat"], row["size"], row["variant"]) == (2, "1 KB", "nginx")


def test_an_odd_count_keeps_a_real_download() -> None:
    for totals, kept in (([0.3], 0.3), ([0.9, 0.1, 0.5, 0.7, 0.3], 0.5)):
        row = files_bench.row(0, "1 KB", 1000, "x", [timed(t) for t in totals])
        assert row["total_ms"] == pytest.approx(kept * 1e3), totals


@pytest.mark.parametrize("bad", [0, 1, 2])
@pytest.mark.parametrize("problem", [{"body_bytes": 999}, {"status": 500}])
def test_a_short_or_failed_download_in_any_position_stops_the_run(
    bad: int, problem: dict
) -> None:
    timings = [timed(0.1), timed(0.2), timed(0.3)]
    timings[bad] = timed(0.2, **problem)

    with pytest.raises(RuntimeError, match="sent"):
        files_bench.row(0, "1 KB", 1000, "x", timings)


def test_the_file_servers_are_the_four_setups_choosing_a_server_tests() -> None:
    """docs/performance.md: "the tests of Choosing a server check this on the
    same four setups" (tests/e2e/test_choosing_a_server_real.py SETUPS, where
    only Granian offers http.response.pathsend)."""
    servers = [
        kwargs for key, _, _, kwargs in files_bench.VARIANTS if key != "in_memory"
    ]

    assert servers == [
        {},
        {"http": "httptools", "loop": "uvloop"},
        {"server": "granian"},
        {"server": "hypercorn"},
    ]
