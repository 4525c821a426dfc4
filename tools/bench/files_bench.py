"""Files: FileResponse on each server, reading into memory, X-Accel-Redirect
through nginx, and nginx sendfile alone as the ceiling."""

from __future__ import annotations

import os
from pathlib import Path

from tools.bench import nginx
from tools.bench.common import Settings, round_order, timed_get
from tools.servers import ROOT, Server, serve

APP = "examples.performance.files_variants:app"
# The Behind nginx page's X-Accel-Redirect app and config, used as they are:
# the app checks a token and names the file, nginx sends it from `reports/`
# under its prefix, so the benchmark's files go in such a folder.
DOWNLOADS_APP = "examples.behind_nginx.downloads:app"
X_ACCEL_CONF = ROOT / "examples" / "behind_nginx" / "x_accel_redirect.conf"
TOKEN = {"X-Token": "let-me-in"}  # examples/behind_nginx/downloads.py

# (key, label on the page, path prefix, tools.servers.serve arguments).
VARIANTS = (
    ("file_response", "`FileResponse`, uvicorn", "/file-response", {}),
    (
        "file_response_standard",
        "`FileResponse`, uvicorn[standard]",
        "/file-response",
        {"http": "httptools", "loop": "uvloop"},
    ),
    (
        "file_response_granian",
        "`FileResponse`, Granian",
        "/file-response",
        {"server": "granian"},
    ),
    (
        "file_response_hypercorn",
        "`FileResponse`, Hypercorn",
        "/file-response",
        {"server": "hypercorn"},
    ),
    ("in_memory", "read into memory, uvicorn", "/in-memory", {}),
)
X_ACCEL = ("x_accel", "nginx, `X-Accel-Redirect` from the app")
NGINX = ("nginx", "nginx, sendfile on")
# Granian answers from a worker process, not the one whose PID serve() knows,
# so its memory is not read.
NO_MEMORY = {"file_response_granian"}
# Reading a 1 GiB file into memory takes 3 GiB of RAM and seconds per round on
# a shared machine, and the smaller sizes already show what it costs.
IN_MEMORY_MAX_BYTES = 10**8
BLOCK = 2**20
WARMUP = "warmup.bin"  # 1 KiB, fetched once first so start-up costs stay out


def make_file(path: Path, size: int) -> None:
    """`size` bytes that do not compress, written a block at a time."""
    block = os.urandom(BLOCK)
    with path.open("wb") as out:
        for _ in range(size // BLOCK):
            out.write(block)
        out.write(block[: size % BLOCK])


def file_name(label: str) -> str:
    return label.lower().replace(" ", "") + ".bin"  # "10 MB" -> "10mb.bin"


def sizes_for(key: str, settings: Settings) -> list[tuple[str, int]]:
    if key == "in_memory":
        return [(l, b) for l, b in settings.file_sizes if b <= IN_MEMORY_MAX_BYTES]
    return list(settings.file_sizes)


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    x_accel_work = workdir / "x-accel"
    folder = x_accel_work / "reports"  # the alias of x_accel_redirect.conf
    folder.mkdir(parents=True)
    for label, size in settings.file_sizes:
        make_file(folder / file_name(label), size)
        (folder / file_name(label)).read_bytes()  # into the page cache
    make_file(folder / WARMUP, 1024)
    runs = []
    with_nginx = nginx.available()
    items = tuple(key for key, *_ in VARIANTS) + (
        (X_ACCEL[0], NGINX[0]) if with_nginx else ()
    )
    servers = {key: (prefix, kwargs) for key, _, prefix, kwargs in VARIANTS}
    for repeat in range(settings.repeats):
        for key in round_order(items, repeat, settings.repeats):
            if key == NGINX[0]:
                with nginx.serve_folder(folder, workdir / "nginx") as port:
                    runs += measure(port, "/", key, repeat, settings)
            elif key == X_ACCEL[0]:
                with (
                    serve(DOWNLOADS_APP, overrides={"REPORTS": folder}) as app,
                    nginx.proxy_sendfile(X_ACCEL_CONF, app.port, x_accel_work) as port,
                ):
                    runs += measure(port, "/downloads/", key, repeat, settings)
            else:
                prefix, kwargs = servers[key]
                # A fresh server per variant and round. The sizes go smallest
                # first, so the peak memory after each download belongs to the
                # largest file so far, that is, to this one.
                with serve(APP, overrides={"FILES": folder}, **kwargs) as server:
                    memory = None if key in NO_MEMORY else server
                    runs += measure(
                        server.port, f"{prefix}/", key, repeat, settings, memory
                    )
    return {
        "variants": [
            {"key": key, "label": label, "path": prefix}
            for key, label, prefix, _ in VARIANTS
        ]
        + [
            {"key": X_ACCEL[0], "label": X_ACCEL[1], "path": "/downloads/"},
            {"key": NGINX[0], "label": NGINX[1], "path": "/"},
        ],
        "baseline": "file_response",
        "ceiling": NGINX[0],
        "sizes": [
            {"label": label, "bytes": size} for label, size in settings.file_sizes
        ],
        "in_memory_max_bytes": IN_MEMORY_MAX_BYTES,
        "nginx": with_nginx,
        "runs": runs,
    }


def measure(
    port: int,
    prefix: str,
    key: str,
    repeat: int,
    settings: Settings,
    memory: Server | None = None,
) -> list[dict[str, object]]:
    """Download each file `file_downloads` times, smallest first, after one
    warm-up request; the round keeps the median download of each file."""
    headers = TOKEN if key == X_ACCEL[0] else None
    warm(port, f"{prefix}{WARMUP}", headers)
    idle_kib = memory.rss_kib() if memory else None
    rows = []
    for label, size in sizes_for(key, settings):
        timings = [
            timed_get(port, f"{prefix}{file_name(label)}", timeout=300, headers=headers)
            for _ in range(settings.file_downloads)
        ]
        rows.append(row(repeat, label, size, key, timings))
        if memory:
            rows[-1].update(
                idle_rss_mib=idle_kib / 1024, peak_rss_mib=memory.peak_rss_kib() / 1024
            )
        print(f"file {repeat} {label} {key}: {rows[-1]['mb_per_s']:.0f} MB/s")
    return rows


def warm(port: int, path: str, headers: dict[str, str] | None = None) -> None:
    if timed_get(port, path, headers=headers).status != 200:
        raise RuntimeError(f"GET {path} failed")


def row(
    repeat: int, label: str, size: int, key: str, timings: list
) -> dict[str, object]:
    """The median download by time (an odd count keeps a real download)."""
    for timed in timings:
        if timed.status != 200 or timed.body_bytes != size:
            raise RuntimeError(f"{key} sent {timed.body_bytes} of {size} bytes")
    ranked = sorted(timings, key=lambda t: t.total_s)
    timed = ranked[(len(ranked) - 1) // 2]
    return {
        "repeat": repeat,
        "size": label,
        "variant": key,
        "ttfb_ms": timed.ttfb_s * 1e3,
        "total_ms": timed.total_s * 1e3,
        "mb_per_s": size / timed.total_s / 1e6,
        "downloads_mb_per_s": [size / t.total_s / 1e6 for t in timings],
    }
