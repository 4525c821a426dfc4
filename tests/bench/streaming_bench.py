"""Streaming: one body four ways, and slow streams next to a plain route."""

from __future__ import annotations

import asyncio
import statistics
import time

from tests.bench.common import HOST, Settings, round_order, timed_get, wait_idle
from tests.servers import serve

APP = "tests.bench.inflight:streaming_app"  # examples/performance/streaming_variants.py

# (key, label on the page, path); "async_lines" is the baseline.
VARIANTS = (
    ("sync_lines", "sync generator, one line per chunk", "/sync-lines"),
    ("async_lines", "async generator, one line per chunk", "/async-lines"),
    ("sync_batches", "sync generator, 64 KiB chunks", "/sync-batches"),
    ("async_batches", "async generator, 64 KiB chunks", "/async-batches"),
)
BASELINE = "async_lines"
SLOW_CHUNKS = 600  # a slow stream's length if nobody hangs up: 60 s at most
SETTLE = 0.3  # seconds between opening the slow streams and the first ping
PING_TIMEOUT = 20.0


def run(settings: Settings) -> dict[str, object]:
    from examples.performance import streaming_variants as example

    body_bytes = example.LINES * len(example.line(0))
    downloads = []
    with serve(APP) as server:
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
        "downloads": downloads,
        "threadpool": threadpool,
    }


async def get(port: int, path: str) -> float:
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
    if not response.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {path}: {response[:100]!r}")
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
    """Ping latency of a def and an async def route while N slow streams are open."""
    rows = []
    for repeat in range(settings.repeats):
        for level in settings.stream_levels:
            for streams in ("sync", "async"):
                path = f"/slow-{streams}?chunks={SLOW_CHUNKS}"
                opened = await asyncio.wait_for(
                    asyncio.gather(*(open_stream(port, path) for _ in range(level))),
                    timeout=PING_TIMEOUT,
                )
                try:
                    await asyncio.sleep(SETTLE)
                    for ping in ("sync", "async"):
                        times = [
                            await asyncio.wait_for(
                                get(port, f"/ping-{ping}"), timeout=PING_TIMEOUT
                            )
                            for _ in range(settings.pings)
                        ]
                        rows.append(
                            {
                                "repeat": repeat,
                                "open_streams": level,
                                "streams": streams,
                                "ping": ping,
                                "median_ms": statistics.median(times) * 1e3,
                                "max_ms": max(times) * 1e3,
                            }
                        )
                finally:
                    for _, writer in opened:
                        writer.close()
                    # Hanging up ends each stream at its next wait (SLOW_DELAY);
                    # the next level starts when all of them have ended.
                    await asyncio.to_thread(wait_idle, port)
                print(
                    f"held {repeat} {level:3d} {streams:5s}: "
                    + ", ".join(
                        f"{r['ping']} {r['median_ms']:.1f} ms" for r in rows[-2:]
                    )
                )
    return rows
