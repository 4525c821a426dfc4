"""Debian's nginx as a child process on a free port of 127.0.0.1, stopped by PID.

`run` starts nginx with a whole config the caller writes; `proxy` puts nginx
in front of a served app with the server-level directives of one config file
(`examples/behind_nginx/*.conf`, the files the Behind nginx page shows):

    with serve("examples.behind_nginx.feeds:app") as app:
        with proxy(CONF, app.port, tmp_path) as port:
            ...  # http://127.0.0.1:{port}/ reaches the app through nginx

The example file is included as it is (`include`), inside a `server` block
whose `upstream app` is the app's address, so a file says `proxy_pass
http://app;`. Relative paths in it (`alias`, `root`) resolve against `work`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.servers import free_port, stop
from tools.waiting import wait_until

HOST = "127.0.0.1"
TEMP_PATHS = """\
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
"""
MAIN = """\
{user}
daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log {log_level};
events {{ worker_connections 64; }}
"""
PROXY = (
    MAIN
    + """\
http {{
    access_log off;
    default_type application/octet-stream;
    types {{ text/plain txt; text/csv csv; }}
"""
    + TEMP_PATHS
    + """\
    upstream app {{ server {upstream}; }}
    server {{
        listen {host}:{port};
        include {conf};
    }}
}}
"""
)


def available() -> bool:
    return shutil.which("nginx") is not None


def user_directive() -> str:
    # As root, workers would switch to "nobody", who cannot read a private
    # temp folder; keep them as root. Otherwise the directive is not needed.
    return "user root;" if os.geteuid() == 0 else ""


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def run(work: Path, config: Callable[[int], str]) -> Iterator[int]:
    """Run nginx with `config(port)` written to `work/nginx.conf` until the
    block ends; yields the port.

    nginx binds its own port, so one picked free can be taken in between;
    starting is tried three times.
    """
    work.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        port = free_port(HOST)
        path = work / "nginx.conf"
        path.write_text(config(port))
        proc = subprocess.Popen(
            ["nginx", "-p", f"{work}/", "-e", str(work / "error.log"), "-c", str(path)]
        )

        def started(proc: subprocess.Popen[bytes] = proc, port: int = port) -> bool:
            if proc.poll() is not None:  # say, the port was taken meanwhile
                raise TimeoutError(f"nginx exited with {proc.returncode}")
            return _listening(port)

        try:
            wait_until(
                started,
                10.0,
                interval=0.05,
                waiting_for=f"nginx on {HOST}:{port}",
            )
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


@contextmanager
def proxy(
    conf: Path,
    upstream_port: int,
    work: Path,
    log_level: str = "warn",
    template: str = PROXY,
) -> Iterator[int]:
    """nginx with `conf` (server-level directives) in front of 127.0.0.1:upstream_port;
    `template` is the nginx.conf around it (the benchmark's adds sendfile)."""

    def config(port: int) -> str:
        return template.format(
            user=user_directive(),
            work=work,
            log_level=log_level,
            upstream=f"{HOST}:{upstream_port}",
            host=HOST,
            port=port,
            conf=Path(conf).resolve(),
        )

    with run(work, config) as port:
        yield port
