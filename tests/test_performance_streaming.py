"""The streaming variants the benchmarks time send the same bytes, and the probe
routes hand off to worker threads as the page says (docs/performance.md)."""

from __future__ import annotations

from pathlib import Path

import anyio
import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from examples.performance import streaming_variants
from tools.bench import streaming_bench

# --- the streaming variants --------------------------------------------------


@pytest.fixture
def short_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming_variants, "LINES", 2_048)
    monkeypatch.setattr(streaming_variants, "SLOW_DELAY", 0.001)


def test_streamed_body_is_1_mib_of_64_byte_lines() -> None:
    line = streaming_variants.line(7)

    assert len(line) == 64
    assert line.startswith("00000007 ") and line.endswith("x\n")
    assert streaming_variants.LINES * len(line) == 2**20
    assert streaming_variants.LINES % streaming_variants.BATCH == 0


@pytest.mark.usefixtures("short_streams")
def test_every_stream_sends_the_same_bytes() -> None:
    client = TestClient(streaming_variants.app)
    expected = "".join(streaming_variants.line(n) for n in range(2_048))

    for _, _, path in streaming_bench.VARIANTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == expected, path


@pytest.mark.usefixtures("short_streams")
@pytest.mark.parametrize(
    ("path", "chunks"),
    [
        ("/sync-lines", 2_048),
        ("/async-lines", 2_048),
        ("/sync-batches", 2),
        ("/async-batches", 2),
    ],
)
def test_lines_or_batches_set_the_number_of_chunks(path: str, chunks: int) -> None:
    with TestClient(streaming_variants.app).stream("GET", path) as response:
        sizes = [len(chunk) for chunk in response.iter_raw()]

    assert len(sizes) == chunks


@pytest.mark.usefixtures("short_streams")
def test_slow_streams_send_the_same_lines_and_bound_their_length() -> None:
    client = TestClient(streaming_variants.app)
    expected = "".join(streaming_variants.line(n) for n in range(3))

    assert client.get("/slow-sync?chunks=3").text == expected
    assert client.get("/slow-async?chunks=3").text == expected
    assert client.get("/slow-sync?chunks=3001").status_code == 422
    assert client.get("/slow-async?chunks=3001").status_code == 422
    assert client.get("/slow-sync?chunks=0").status_code == 422
    assert streaming_bench.SLOW_CHUNKS <= 3000
    assert client.get("/ping-sync").json() == client.get("/ping-async").json()


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function sent to AnyIO's worker threads."""
    calls: list[str] = []
    original = anyio.to_thread.run_sync

    async def counting(func, *args, **kwargs):
        calls.append(getattr(func, "__name__", None) or repr(func))
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return calls


@pytest.mark.parametrize(
    ("path", "hops"),
    [("/ping-async", 0), ("/ping-dependency", 1), ("/ping-sync", 1)],
)
def test_which_probe_routes_need_a_worker_thread(
    path: str, hops: int, thread_hops: list[str]
) -> None:
    response = TestClient(streaming_variants.app).get(path)

    assert response.json() == {"ok": True}
    assert len(thread_hops) == hops


def test_an_async_file_response_needs_a_thread_per_64_kib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread_hops: list[str]
) -> None:
    probe = tmp_path / "probe.bin"
    probe.write_bytes(b"x" * 2 * 2**20)
    monkeypatch.setattr(streaming_variants, "PROBE_FILE", probe)

    response = TestClient(streaming_variants.app).get("/ping-file")

    assert response.content == probe.read_bytes()
    # stat, open, 32 reads of 64 KiB and one that finds the end, close
    assert thread_hops == ["stat", "open", *["read"] * 33, "close"]
