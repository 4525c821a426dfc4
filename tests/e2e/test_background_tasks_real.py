"""docs/background_tasks.md on a real uvicorn: the client has the whole body
(JSON, a stream, a file) while the response's task is still held, the next
request on the same keep-alive connection is answered meanwhile, def tasks
run in a worker thread and async ones on the event loop, and a SIGTERM lets a
running task finish where a SIGKILL loses it.

The held tasks (tests/e2e/apps/background_tasks_held.py) wait for POST
/__release, so each check is an order of events, never a race with a timer.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx2
import pytest

from tests.e2e.http_clients import keep_alive, leave_stream, parse_response, raw_get
from tools.servers import Server, serve
from tools.waiting import wait_until

HELD = "tests.e2e.apps.background_tasks_held"
WORKER = "(thread 'AnyIO worker thread')"
LOOP = "(event loop)"


def done(server: Server) -> object:
    return httpx2.get(f"{server.url}/done").json()


def release_and_wait(server: Server, finished: object) -> None:
    httpx2.post(f"{server.url}/__release")
    wait_until(lambda: done(server) == finished, 20, waiting_for="the released tasks")


def wait_for_two_lines(server: Server) -> object:
    """/done once the first request's route and def task have written theirs."""
    wait_until(
        lambda: len(done(server)) >= 2, 20, waiting_for="the dependency's def task"
    )
    return done(server)


def test_the_next_request_on_the_connection_is_answered_while_a_task_is_held() -> None:
    path = "/signups?email=ada@example.com"
    with serve(f"{HELD}:signup_app") as server:
        seen_between: list[object] = []
        first, second = keep_alive(
            server.host,
            server.port,
            "POST",
            [path, path],
            lambda: seen_between.append(wait_for_two_lines(server)),
        )
        # Both answers are in; both welcomes are still held.
        after_both = done(server)
        release_and_wait(
            server,
            [
                f"signed up ada@example.com {LOOP}",
                f"audited ada@example.com {WORKER}",
                f"signed up ada@example.com {LOOP}",
                f"audited ada@example.com {WORKER}",
                f"welcomed ada@example.com {LOOP}",
                f"welcomed ada@example.com {LOOP}",
            ],
        )

    for answer in (first, second):
        response = parse_response(answer, b"POST")
        assert response.status == 200
        assert response.body == b'{"email":"ada@example.com","status":"signed up"}'
    assert seen_between == [
        [f"signed up ada@example.com {LOOP}", f"audited ada@example.com {WORKER}"]
    ]
    assert [line for line in after_both if line.startswith("welcomed")] == []
    assert len(after_both) == 4


def test_a_stream_is_complete_before_its_task_runs() -> None:
    with serve(f"{HELD}:files_app") as server:
        answer = raw_get(server.host, server.port, b"/report.txt?lines=100")
        while_held = done(server)
        release_and_wait(
            server, {"tasks": ["sent a report of 100 lines"], "exports_on_disk": 0}
        )

    assert answer.status == 200
    assert answer.headers["transfer-encoding"] == "chunked"
    assert answer.body == b"".join(f"line {n}\n".encode() for n in range(1, 101))
    assert while_held == {"tasks": [], "exports_on_disk": 0}


def test_a_file_is_complete_before_its_task_runs_and_deleted_after() -> None:
    with serve(f"{HELD}:files_app") as server:
        answer = raw_get(server.host, server.port, b"/export.csv?rows=1000")
        while_held = done(server)
        release_and_wait(
            server, {"tasks": ["sent an export of 1000 rows"], "exports_on_disk": 0}
        )

    rows = [f"{row},{row * 10}" for row in range(1, 1001)]
    assert answer.status == 200
    assert answer.body.decode().splitlines() == ["id,total", *rows]
    assert answer.headers["content-length"] == str(len(answer.body))
    # The task is held, and the file waits for it: the cleanup comes after.
    assert while_held == {"tasks": [], "exports_on_disk": 1}


def test_a_client_that_leaves_mid_stream_still_gets_its_task_run() -> None:
    # The stream stops after its first line for HOLD_SECONDS (30 s); only the
    # client leaving ends it sooner. The wait for the task is 20 s, so the
    # task must have run because the stream was stopped, not finished.
    with serve(f"{HELD}:files_app", overrides={f"{HELD}.HOLD_STREAM": 1}) as server:
        leave_stream(server.host, server.port, "/report.txt?lines=3", b"line", 1)
        release_and_wait(
            server, {"tasks": ["sent a report of 3 lines"], "exports_on_disk": 0}
        )


def exited(pid: int) -> bool:
    """The server process has ended (a zombie until tools.servers reaps it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def on_disk(tmp_path: Path) -> list[str]:
    """What is left in tmp_path (TMPDIR): "exports/" for each export folder,
    "exports/*.csv" for each export in one."""
    folders = list(tmp_path.glob("exports-*"))
    files = list(tmp_path.glob("exports-*/*"))
    return ["exports/"] * len(folders) + ["exports/*.csv"] * len(files)


@pytest.mark.parametrize(
    ("signal_sent", "skip_cleanup", "tasks_done", "left_on_disk"),
    [
        pytest.param(
            signal.SIGTERM,
            0,
            "sent an export of 2 rows\n",
            [],  # the lifespan's shutdown removed the folder
            id="SIGTERM",
            marks=pytest.mark.slow,  # the 2 s hold, then a graceful exit
        ),
        pytest.param(
            signal.SIGTERM,
            1,
            "sent an export of 2 rows\n",
            ["exports/"],  # the cleanup at exit (atexit) never ran
            id="SIGTERM-without-the-lifespan-cleanup",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            signal.SIGKILL, 0, None, ["exports/", "exports/*.csv"], id="SIGKILL"
        ),
    ],
)
def test_a_stop_waits_for_a_running_task_a_kill_loses_it(
    tmp_path: Path,
    signal_sent: signal.Signals,
    skip_cleanup: int,
    tasks_done: str | None,
    left_on_disk: list[str],
) -> None:
    # The held task gives up waiting after 2 s, runs and notes it in
    # tasks-done.txt; the export is deleted after it, by the route's
    # dependency, and the export folder at shutdown, by the app's lifespan
    # (unless skipped). TMPDIR puts them all in tmp_path.
    with serve(
        f"{HELD}:files_app",
        overrides={f"{HELD}.HOLD_SECONDS": 2.0, f"{HELD}.SKIP_CLEANUP": skip_cleanup},
        env={"TMPDIR": str(tmp_path)},
    ) as server:
        answer = raw_get(server.host, server.port, b"/export.csv?rows=2")
        on_disk_before = on_disk(tmp_path)
        os.kill(server.pid, signal_sent)
        wait_until(lambda: exited(server.pid), 30, waiting_for="the server to exit")

    assert answer.status == 200
    assert answer.body == b"id,total\n1,10\n2,20\n"
    assert on_disk_before == ["exports/", "exports/*.csv"]
    assert on_disk(tmp_path) == left_on_disk
    done_file = tmp_path / "tasks-done.txt"
    assert (done_file.read_text() if done_file.exists() else None) == tasks_done
