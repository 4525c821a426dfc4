"""`python3 dev.py -s serve -- --port N` serves the site on N; SIGTERM to dev.py
(or Ctrl-C) stops nox and mkdocs and frees the port. And `mkdocs serve` rebuilds a page
when an example it includes changes (mkdocs.yml's `watch:`).

Slow: the first run installs the serve session's packages (later runs reuse
them) and mkdocs builds the whole site before it listens. The e2e session runs
it; alone: `python3 dev.py -s e2e -- tests/e2e/test_dev_serve.py`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tools.servers import free_port, stop
from tools.settings import ENVIRONMENT
from tools.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300  # a first run installs mkdocs and friends into .nox/serve
# dev.py gives nox 10 s to stop, then what outlives nox 10 s more, then kills
# them; on a loaded machine stopping uses much of that.
STOP_TIMEOUT = 40

# The first run may install for START_TIMEOUT, then build; pytest-timeout's
# global 120 s would cut it short.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2 * START_TIMEOUT)]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def bindable(port: int) -> bool:
    """Could a new server listen on the port (nothing holds it)?"""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def children(pid: int) -> list[int]:
    task = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in task.read_text().split()]


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"]
)
def test_stopping_dev_py_stops_serve_and_frees_its_port(
    tmp_path: Path, signum: signal.Signals
) -> None:
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    dev = subprocess.Popen(
        [sys.executable, "dev.py", "-s", "serve", "--", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ENVIRONMENT},
    )
    try:
        served = wait_until(
            lambda: listening(port) or dev.poll() is not None,
            timeout=START_TIMEOUT,
            interval=0.2,
        )
        assert served and dev.poll() is None, (tmp_path / "serve.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200
            assert b"FastAPI responses, tested" in page.read()

        # dev.py runs nox as the leader of a process group of its own.
        (nox_pid,) = children(dev.pid)
        assert os.getpgid(nox_pid) == nox_pid

        # A terminal's Ctrl-C sends SIGINT to dev.py's process group, which
        # is not nox's: dev.py alone gets it, as here.
        os.kill(dev.pid, signum)
        dev.wait(timeout=STOP_TIMEOUT)
        freed = wait_until(lambda: bindable(port), timeout=5, interval=0.1)

        assert freed, f"port {port} still held after dev.py exited"
        assert dev.returncode == 128 + signum
    finally:
        if dev.poll() is None:
            os.kill(dev.pid, signal.SIGKILL)
            dev.wait(timeout=STOP_TIMEOUT)
        log.close()
    # No process of the serve session is left: nox's group is empty.
    with pytest.raises(ProcessLookupError):
        os.killpg(nox_pid, 0)


def test_serve_rebuilds_a_page_when_an_example_it_includes_changes(
    tmp_path: Path,
) -> None:
    for part in ("docs", "examples"):
        shutil.copytree(ROOT / part, tmp_path / part)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/html_and_text/"
    marker = "# a line added while the site is served"
    log = (tmp_path / "mkdocs.log").open("w")
    mkdocs = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ENVIRONMENT},
    )

    def page() -> str:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode()

    try:
        served = wait_until(
            lambda: listening(port) or mkdocs.poll() is not None,
            timeout=START_TIMEOUT,
            interval=0.2,
        )
        assert served and mkdocs.poll() is None, (tmp_path / "mkdocs.log").read_text()
        assert marker not in page()

        example = tmp_path / "examples/html_and_text/page_and_robots.py"
        source = example.read_text()
        example.write_text(
            source.replace("app = FastAPI()", f"{marker}\napp = FastAPI()")
        )

        rebuilt = wait_until(lambda: marker in page(), timeout=120, interval=0.5)
        assert rebuilt, (tmp_path / "mkdocs.log").read_text()
    finally:
        stop(mkdocs)  # SIGTERM by PID, then SIGKILL
        log.close()
