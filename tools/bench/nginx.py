"""Debian's nginx as a child process, serving one folder with sendfile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.bench.common import HOST
from tools.nginx import MAIN, TEMP_PATHS, available, run, user_directive

__all__ = ["available", "serve_folder"]

CONFIG = (
    MAIN
    + """\
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    types {{ }}
"""
    + TEMP_PATHS
    + """\
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""
)


@contextmanager
def serve_folder(root: Path, work: Path) -> Iterator[int]:
    """Serve `root` on a free port until the block ends; yields the port."""

    def config(port: int) -> str:
        return CONFIG.format(
            user=user_directive(),
            work=work,
            log_level="warn",
            host=HOST,
            port=port,
            root=root,
        )

    with run(work, config) as port:
        yield port
