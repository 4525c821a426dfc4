"""Run the guide's nox sessions on a machine that has only Python 3.11.5+.

    python3 dev.py              # every check (what CI runs)
    python3 dev.py -s serve     # build the site and serve it at http://127.0.0.1:8000

The first call creates .runner/, a virtual environment holding the pinned nox
and uv from pyproject.toml's "runner" group; later calls reuse it. Any
arguments are handed to nox unchanged.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import venv

# Only standard-library parts of tools/ (the settings loader, the wait loop):
# this runs on a bare Python, before anything is installed.
from tools.settings import CONSTRAINTS, ROOT, apply_environment, group
from tools.waiting import wait_until

RUNNER = ROOT / ".runner"
BIN = RUNNER / ("Scripts" if os.name == "nt" else "bin")
STAMP = RUNNER / "pins.txt"


def ensure_runner() -> None:
    pins = group("runner")
    wanted = "\n".join(pins)
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print(f"dev.py: installing {', '.join(pins)} into {RUNNER.name}/", flush=True)
    venv.create(RUNNER, with_pip=True, clear=True)
    subprocess.run(
        [
            BIN / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            CONSTRAINTS,
            *pins,
        ],
        check=True,
    )
    STAMP.write_text(wanted)


def main() -> int:
    if sys.version_info < (3, 11, 5):
        sys.exit("dev.py needs Python 3.11.5 or newer")
    ensure_runner()
    env = dict(os.environ)
    apply_environment(env)  # tools/settings.py ENVIRONMENT
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return run_stoppable([BIN / "nox", *sys.argv[1:]], env)


# How long nox and what it runs get to stop after Ctrl-C or SIGTERM before
# they are killed.
STOP_GRACE = 10.0


def run_stoppable(command: list[object], env: dict[str, str]) -> int:
    """Run nox in a process group of its own; Ctrl-C or SIGTERM to dev.py stops
    the whole group (nox, and the pytest or mkdocs it runs), so no server is
    left holding its port."""
    if os.name == "nt":
        return subprocess.call(command, cwd=ROOT, env=env)
    child = subprocess.Popen(command, cwd=ROOT, env=env, process_group=0)
    # On a terminal, the new group becomes the foreground one, so a debugger
    # (`pytest --pdb`) can read the keyboard and Ctrl-C reaches nox directly.
    terminal = sys.stdin.fileno() if sys.stdin.isatty() else None
    if terminal is not None:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(terminal, child.pid)
    stopping: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        stopping.append(signum)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)

    previous = {
        signum: signal.signal(signum, forward)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        # Poll rather than block: a signal arriving during a blocking wait
        # would not start the grace period, and a nox that hangs on its way
        # out would keep dev.py waiting forever.
        kill_at: float | None = None
        while True:
            try:
                returncode = child.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if stopping and kill_at is None:
                    kill_at = time.monotonic() + STOP_GRACE
                if kill_at is not None and time.monotonic() > kill_at:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.pid, signal.SIGKILL)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if terminal is not None:
            # Take the terminal back; dev.py is in the background until then.
            ignore = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            with contextlib.suppress(OSError):
                os.tcsetpgrp(terminal, os.getpgrp())
            signal.signal(signal.SIGTTOU, ignore)
    if stopping:
        # Whatever of the group outlives nox (mkdocs, uvicorn) has the same
        # grace, then is killed.
        def group_gone() -> bool:
            try:
                os.killpg(child.pid, 0)
            except ProcessLookupError:
                return True
            return False

        if wait_until(group_gone, STOP_GRACE, interval=0.1) is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        return 128 + stopping[0]
    return returncode


if __name__ == "__main__":
    sys.exit(main())
