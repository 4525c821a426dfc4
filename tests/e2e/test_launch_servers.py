"""tools/servers.py's `serve` runs an example on uvicorn, Hypercorn or Granian,
with the example's constants replaced, and stopping it leaves no process behind
(Granian's worker included)."""

from __future__ import annotations

import http.client
import subprocess
from pathlib import Path

import pytest

from tools.servers import serve

APP = "examples.files.reports_by_name:app"


def children(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


@pytest.mark.parametrize(
    ("server", "names_itself"),
    [("uvicorn", "uvicorn"), ("hypercorn", "hypercorn-h11"), ("granian", "granian")],
)
def test_each_server_serves_the_example_with_its_constants_replaced(
    server: str, names_itself: str, tmp_path: Path
) -> None:
    (tmp_path / "made-here.csv").write_text("made,here\n")
    with serve(APP, server=server, overrides={"REPORTS": tmp_path}) as running:
        connection = http.client.HTTPConnection(running.host, running.port, timeout=10)
        connection.request("GET", "/reports/made-here.csv")
        reply = connection.getresponse()
        assert (reply.status, reply.read()) == (200, b"made,here\n")
        assert reply.getheader("server") == names_itself
        connection.close()
        spawned = children(running.pid)
    for pid in [running.pid, *spawned]:
        assert not Path(f"/proc/{pid}").exists(), (
            f"{server}: process {pid} outlived stop"
        )
