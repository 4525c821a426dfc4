"""Start an example under a real uvicorn on 127.0.0.1, and stop it by its PID.

The listening socket is bound here, on a free port the kernel picks, and handed
to the server process (tools/launch.py), so no other process can take the port
in between.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # seconds for uvicorn to answer its first request
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL


@dataclass(frozen=True)
class Server:
    pid: int
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def peak_rss_kib(self) -> int:
        """The server process's peak resident memory so far (Linux VmHWM)."""
        return _status_field(self.pid, "VmHWM")

    def rss_kib(self) -> int:
        return _status_field(self.pid, "VmRSS")


def _status_field(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise LookupError(f"{name} not in /proc/{pid}/status")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now, for a program that binds its own
    (nginx, Granian, a command line): another process may take it in between."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _wait_until_serving(proc: subprocess.Popen[bytes], host: str, port: int) -> None:
    def serving() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(
                f"the server exited with {proc.returncode} before serving"
            )
        try:
            with socket.create_connection((host, port), timeout=1) as conn:
                conn.sendall(
                    b"GET /__ready HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                )
                return conn.recv(12).startswith(b"HTTP/1.1")
        except OSError:
            return False

    wait_until(
        serving,
        START_TIMEOUT,
        interval=0.05,
        waiting_for=f"the server on {host}:{port} to answer",
    )


@contextmanager
def _serving(
    module_args: list[str], env: dict[str, str] | None, *, hand_over: bool = True
) -> Iterator[Server]:
    """Run `python -m <module_args> --fd N` on a socket bound here; stop it after.

    With `hand_over=False` (a server that binds its own socket) the port the
    kernel picked is freed again and passed as `--port N`.
    """
    host = "127.0.0.1"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    if hand_over:
        where, passed = ["--fd", str(listener.fileno())], (listener.fileno(),)
    else:
        listener.close()
        where, passed = ["--port", str(port)], ()
    proc = subprocess.Popen(
        [sys.executable, "-m", *module_args, *where],
        cwd=ROOT,
        pass_fds=passed,
        env={**os.environ, **(env or {})},
        # A server with worker processes (granian) leads its own group, so a
        # SIGKILL after the grace period reaches its workers too.
        start_new_session=not hand_over,
    )
    listener.close()  # the child holds its own copy
    try:
        _wait_until_serving(proc, host, port)
        yield Server(proc.pid, host, port)
    finally:
        stop(proc)


@contextmanager
def serve(
    app: str,
    *,
    overrides: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
    http: str = "h11",
    loop: str = "asyncio",
    server: str = "uvicorn",
) -> Iterator[Server]:
    """Serve `app` ("examples.page.name:app") until the block ends.

    `overrides` replaces module constants of the example first (see launch.py),
    e.g. {"REPORTS": tmp_path} to serve files a test made. `http` is uvicorn's
    --http: "h11" (the pinned stack's only parser, and the default here so a
    test runs the same whether or not httptools is installed) or "httptools".
    `loop` is uvicorn's --loop: "asyncio" (the default here, so installing
    uvloop changes nothing) or "uvloop" (as uvicorn[standard] picks).
    `server` is "uvicorn", "hypercorn" or "granian" (`http` and `loop` are
    uvicorn's only).
    """
    args = ["tools.launch", app, "--server", server, "--http", http, "--loop", loop]
    for name, value in (overrides or {}).items():
        args += ["--set", f"{name}={value}"]
    with _serving(args, env, hand_over=server != "granian") as running:
        yield running


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM by PID, then SIGKILL if it has not exited in time."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            if os.getpgid(proc.pid) == proc.pid:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_TIMEOUT)


@contextmanager
def serve_directory(directory: Path, *, gzip: bool = False) -> Iterator[Server]:
    """Serve the files under `directory` (a built site) until the block ends,
    gzip-compressed for clients that accept it when `gzip` is true."""
    with _serving(
        [
            "tools.static_server",
            str(Path(directory).resolve()),
            *(["--gzip"] if gzip else []),
        ],
        None,
    ) as server:
        yield server
