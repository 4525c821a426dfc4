"""Debian's nginx as a child process, serving one folder with sendfile."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.bench.common import HOST, free_port, wait_for_port
from tools.servers import stop

CONFIG = """\
{user}
daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    types {{ }}
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""


def available() -> bool:
    return shutil.which("nginx") is not None


@contextmanager
def serve_folder(root: Path, work: Path) -> Iterator[int]:
    """Serve `root` on a free port until the block ends; yields the port.

    nginx binds its own port, so one picked free can be taken in between;
    starting is tried three times.
    """
    work.mkdir(parents=True, exist_ok=True)
    # As root, workers would switch to "nobody", who cannot read a private
    # temp folder; keep them as root. Otherwise the directive is not needed.
    user = "user root;" if os.geteuid() == 0 else ""
    for attempt in range(3):
        port = free_port()
        config = work / "nginx.conf"
        config.write_text(
            CONFIG.format(user=user, work=work, host=HOST, port=port, root=root)
        )
        proc = subprocess.Popen(
            ["nginx", "-p", str(work), "-e", str(work / "error.log"), "-c", str(config)]
        )
        try:
            wait_for_port(port)
        except TimeoutError:
            stop(proc)
            if attempt == 2:
                log = (work / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx did not start:\n{log}") from None
            continue
        try:
            yield port
        finally:
            stop(proc)  # SIGTERM to the master, which stops its worker
        return
