"""Streaming: one body four ways, and slow streams next to four small routes."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from tools.bench.common import HOST, Settings, round_order, timed_get, wait_idle
from tools.servers import serve

APP = "tools.bench.inflight:streaming_app"  # examples/performance/streaming_variants.py

# (key, label on the page, path); "async_lines" is the baseline.
VARIANTS = (
    ("sync_lines", "sync generator, one line per chunk", "/sync-lines"),
    ("async_lines", "async generator, one line per chunk", "/async-lines"),
    ("sync_batches", "sync generator, 64 KiB chunks", "/sync-batches"),
    ("async_batches", "async generator, 64 KiB chunks", "/async-batches"),
)
BASELINE = "async_lines"
# The routes timed while slow streams are open: (key, path). Only the first
# runs on the event loop alone; the others need AnyIO's worker threads.
PROBES = (
    ("async", "/ping-async"),  # async def, returns a small dict
    ("file", "/ping-file"),  # async def, returns a FileResponse
    ("dependency", "/ping-dependency"),  # async def, with a def dependency
    ("sync", "/ping-sync"),  # def
)
SLOW_CHUNKS = 3000  # a slow stream's length if nobody hangs up: 300 s at least
SETTLE = 0.3  # seconds between opening the slow streams and the first ping
PING_TIMEOUT = 300.0  # a starved FileResponse takes seconds; this is a hang


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    from examples.performance import streaming_variants as example

    body_bytes = example.LINES * len(example.line(0))
    probe_file = workdir / "probe.bin"
    probe_file.write_bytes(bytes(range(256)) * (settings.probe_file_bytes // 256))
    downloads = []
    target = "examples.performance.streaming_variants.PROBE_FILE"
    with serve(APP, overrides={target: probe_file}) as server:
        for _, _, path in VARIANTS:  # warm up
            timed_get(server.port, path)
        for repeat in range(settings.repeats):
            for key, _, path in round_order(VARIANTS, repeat, settings.repeats):
                wait_idle(server.port)
                timings = [
                    timed_get(server.port, path)
                    for _ in range(settings.stream_requests)
                ]
                if any(t.status != 200 or t.body_bytes < body_bytes for t in timings):
                    raise RuntimeError(f"{path} sent a short or failed body")
                downloads.append(
                    {
                        "repeat": repeat,
                        "variant": key,
                        "ttfb_ms": statistics.median(t.ttfb_s for t in timings) * 1e3,
                        "total_ms": statistics.median(t.total_s for t in timings) * 1e3,
                    }
                )
                print(f"stream {repeat} {key}: {downloads[-1]['total_ms']:.0f} ms")
        for _, path in PROBES:  # warm up
            timed_get(server.port, path)
        threadpool = asyncio.run(held_streams(server.port, settings))
    return {
        "variants": [
            {"key": key, "label": label, "path": path} for key, label, path in VARIANTS
        ],
        "baseline": BASELINE,
        "body_bytes": body_bytes,
        "chunks": {"lines": example.LINES, "batches": example.LINES // example.BATCH},
        "slow_delay_s": example.SLOW_DELAY,
        "levels": list(settings.stream_levels),
        "probe_file_bytes": settings.probe_file_bytes,
        "probes": [key for key, _ in PROBES],
        "downloads": downloads,
        "threadpool": threadpool,
    }


async def get(port: int, path: str, min_bytes: int = 0) -> float:
    """Seconds for one complete GET on a new connection."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
        )
        response = await reader.read()
    finally:
        writer.close()
    if not response.startswith(b"HTTP/1.1 200") or len(response) < min_bytes:
        raise RuntimeError(f"GET {path}: {len(response)} bytes, {response[:100]!r}")
    return time.perf_counter() - start


async def open_stream(
    port: int, path: str
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Open a slow stream and wait for its first chunk, then leave it open."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {path}: {head[:100]!r}")
    await reader.readuntil(b"\n")  # chunk size line of the first chunk
    return reader, writer


async def held_streams(port: int, settings: Settings) -> list[dict[str, object]]:
    """Time each probe route while N slow streams are open.

    Every level starts on an idle server: after hanging up, the next level
    waits until the server has finished every stream (wait_idle).
    """
    rows = []
    for repeat in range(settings.repeats):
        for level in round_order(settings.stream_levels, repeat, settings.repeats):
            # Sync streams first in even rounds, async first in odd ones.
            for streams in ("sync", "async")[:: -1 if repeat % 2 else 1]:
                await asyncio.to_thread(wait_idle, port)
                path = f"/slow-{streams}?chunks={SLOW_CHUNKS}"
                opened = await asyncio.wait_for(
                    asyncio.gather(*(open_stream(port, path) for _ in range(level))),
                    timeout=PING_TIMEOUT,
                )
                try:
                    await asyncio.sleep(SETTLE)
                    for probe, probe_path in round_order(
                        PROBES, repeat, settings.repeats
                    ):
                        file = probe == "file"
                        times = [
                            await asyncio.wait_for(
                                get(
                                    port,
                                    probe_path,
                                    settings.probe_file_bytes if file else 0,
                                ),
                                timeout=PING_TIMEOUT,
                            )
                            for _ in range(
                                settings.file_pings if file else settings.pings
                            )
                        ]
                        rows.append(
                            {
                                "repeat": repeat,
                                "open_streams": level,
                                "streams": streams,
                                "ping": probe,
                                "median_ms": statistics.median(times) * 1e3,
                                "max_ms": max(times) * 1e3,
                            }
                        )
                    # The streams must still be open, or the level was not held.
                    if any(reader.at_eof() for reader, _ in opened):
                        raise RuntimeError(f"a slow stream ended during level {level}")
                finally:
                    for _, writer in opened:
                        writer.close()
                print(
                    f"held {repeat} {level:3d} {streams:5s}: "
                    + ", ".join(
                        f"{r['ping']} {r['median_ms']:.1f} ms"
                        for r in rows[-len(PROBES) :]
                    )
                )
    await asyncio.to_thread(wait_idle, port)
    return rows
