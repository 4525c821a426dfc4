"""Test-only apps: the examples of docs/background_tasks.md with a task held.

signup's send_welcome and after_the_last_byte's record wait until POST
/__release (for at most HOLD_SECONDS) before they do their work, so a test can
see what the client already has while the task has certainly not finished: an
order of events, not a race against a timer. A held record also writes its
line to tasks-done.txt in the temporary folder (TMPDIR). With HOLD_STREAM=1
(tools.launch --set), /report.txt stops after its first line. With
SKIP_CLEANUP=1, the lifespan leaves the export folder alone at shutdown. Serve
`signup_app` or `files_app`; each process has its own release.
"""

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import anyio

from examples.background_tasks import after_the_last_byte, signup

HOLD_SECONDS = 30.0  # the most a held task waits for its release
HOLD_STREAM = 0  # 1: /report.txt sends its first line, then waits HOLD_SECONDS
SKIP_CLEANUP = 0  # 1: the lifespan does not remove the export folder
released = anyio.Event()
send_welcome = signup.send_welcome
record = after_the_last_byte.record
report_lines = after_the_last_byte.report_lines


async def wait_for_release() -> None:
    with anyio.move_on_after(HOLD_SECONDS):
        await released.wait()


async def held_send_welcome(email: str) -> None:
    await wait_for_release()
    await send_welcome(email)


async def held_record(line: str) -> None:
    await wait_for_release()
    record(line)
    with (Path(tempfile.gettempdir()) / "tasks-done.txt").open("a") as log:
        log.write(f"{line}\n")  # seen by a test after the server has exited


async def held_report_lines(lines: int) -> AsyncIterator[str]:
    """The report, stuck after its first line if HOLD_STREAM (no release ends
    that wait: only the client leaving, or HOLD_SECONDS)."""
    for number, line in enumerate(report_lines(lines)):
        if number == 1 and HOLD_STREAM:
            await anyio.sleep(HOLD_SECONDS)
        yield line


remove_exports = after_the_last_byte.remove_exports


def cleanup_unless_skipped() -> None:
    if not SKIP_CLEANUP:
        remove_exports()


# The routes and the lifespan look these names up on each call.
after_the_last_byte.remove_exports = cleanup_unless_skipped
signup.send_welcome = held_send_welcome
after_the_last_byte.record = held_record
after_the_last_byte.report_lines = held_report_lines


async def release() -> dict[str, bool]:  # async: set the event on the loop's thread
    released.set()
    return {"released": True}


signup_app = signup.app
files_app = after_the_last_byte.app
signup_app.post("/__release")(release)
files_app.post("/__release")(release)
