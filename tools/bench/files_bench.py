"""Files: FileResponse against reading the file into memory, with nginx as the ceiling."""

from __future__ import annotations

import os
from pathlib import Path

from tools.bench import nginx
from tools.bench.common import Settings, round_order, timed_get
from tools.servers import serve

APP = "examples.performance.files_variants:app"

# (key, label on the page, path prefix); nginx is served apart.
VARIANTS = (
    ("file_response", "`FileResponse`", "/file-response"),
    ("in_memory", "read into memory", "/in-memory"),
)
NGINX = ("nginx", "nginx, sendfile on")
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


def run(settings: Settings, workdir: Path) -> dict[str, object]:
    folder = workdir / "files"
    folder.mkdir()
    for label, size in settings.file_sizes:
        make_file(folder / file_name(label), size)
        (folder / file_name(label)).read_bytes()  # into the page cache
    make_file(folder / WARMUP, 1024)
    runs = []
    with_nginx = nginx.available()
    for repeat in range(settings.repeats):
        for key, _, prefix in round_order(VARIANTS, repeat, settings.repeats):
            # A fresh server per variant and round. The sizes go smallest
            # first, so the peak memory after each download belongs to the
            # largest file so far, that is, to this one.
            with serve(APP, overrides={"FILES": folder}) as server:
                warm(server.port, f"{prefix}/{WARMUP}")
                idle_kib = server.rss_kib()
                for label, size in settings.file_sizes:
                    name = file_name(label)
                    timed = timed_get(server.port, f"{prefix}/{name}", timeout=300)
                    peak_kib = server.peak_rss_kib()
                    runs.append(row(repeat, label, size, key, timed))
                    runs[-1].update(
                        idle_rss_mib=idle_kib / 1024, peak_rss_mib=peak_kib / 1024
                    )
                    print(
                        f"file {repeat} {label} {key}: {runs[-1]['mb_per_s']:.0f} MB/s"
                    )
        if with_nginx:
            with nginx.serve_folder(folder, workdir / "nginx") as port:
                warm(port, f"/{WARMUP}")
                for label, size in settings.file_sizes:
                    timed = timed_get(port, f"/{file_name(label)}", timeout=300)
                    runs.append(row(repeat, label, size, NGINX[0], timed))
                    print(
                        f"file {repeat} {label} nginx: {runs[-1]['mb_per_s']:.0f} MB/s"
                    )
    return {
        "variants": [
            {"key": key, "label": label, "path": prefix}
            for key, label, prefix in VARIANTS
        ]
        + [{"key": NGINX[0], "label": NGINX[1], "path": "/"}],
        "baseline": "file_response",
        "sizes": [
            {"label": label, "bytes": size} for label, size in settings.file_sizes
        ],
        "nginx": with_nginx,
        "runs": runs,
    }


def warm(port: int, path: str) -> None:
    if timed_get(port, path).status != 200:
        raise RuntimeError(f"GET {path} failed")


def row(repeat: int, label: str, size: int, key: str, timed) -> dict[str, object]:
    if timed.status != 200 or timed.body_bytes != size:
        raise RuntimeError(f"{key} sent {timed.body_bytes} of {size} bytes")
    return {
        "repeat": repeat,
        "size": label,
        "variant": key,
        "ttfb_ms": timed.ttfb_s * 1e3,
        "total_ms": timed.total_s * 1e3,
        "mb_per_s": size / timed.total_s / 1e6,
    }
