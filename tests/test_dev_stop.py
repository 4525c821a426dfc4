"""dev.py stops nox even when nox will not stop: after Ctrl-C or SIGTERM it
waits STOP_GRACE, then kills nox's whole process group (README's `serve`
promises the port is freed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tools.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent

# Stands in for a nox that ignores the signal and never exits by itself.
STUBBORN = textwrap.dedent(
    """
    import signal, sys, time
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    open(sys.argv[1], "w").close()
    time.sleep(120)
    """
)
RUNNER = textwrap.dedent(
    """
    import os, sys
    import dev
    dev.STOP_GRACE = 1.0
    stub = [sys.executable, "-c", sys.argv[1], sys.argv[2]]
    sys.exit(dev.run_stoppable(stub, dict(os.environ)))
    """
)


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"]
)
def test_a_nox_that_ignores_the_signal_is_killed_after_the_grace(
    tmp_path: Path, signum: signal.Signals
) -> None:
    ready = tmp_path / "ready"
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, STUBBORN, str(ready)], cwd=ROOT
    )
    try:
        assert wait_until(ready.exists, 30, waiting_for="the stub to start")
        (stub_pid,) = [
            int(pid)
            for pid in Path(f"/proc/{runner.pid}/task/{runner.pid}/children")
            .read_text()
            .split()
        ]
        runner.send_signal(signum)

        # Well before the stub's own 120 s: the grace (1 s here), then a kill.
        assert runner.wait(timeout=30) == 128 + signum
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    with pytest.raises(ProcessLookupError):
        os.killpg(stub_pid, 0)
