"""Test-only apps: the examples of docs/background_tasks.md with a task held.

signup's send_welcome and after_the_last_byte's record wait until POST
/__release (for at most HOLD_SECONDS) before they do their work, so a test can
see what the client already has while the task has certainly not finished: an
order of events, not a race against a timer. A held record also writes its
line to tasks-done.txt in the temporary folder (TMPDIR). Serve `signup_app` or
`files_app`; each process has its own release.
"""

import tempfile
from pathlib import Path

import anyio

from examples.background_tasks import after_the_last_byte, signup

HOLD_SECONDS = 30.0  # the most a held task waits for its release
released = anyio.Event()
send_welcome = signup.send_welcome
record = after_the_last_byte.record


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


# The routes look these names up on each call.
signup.send_welcome = held_send_welcome
after_the_last_byte.record = held_record


async def release() -> dict[str, bool]:  # async: set the event on the loop's thread
    released.set()
    return {"released": True}


signup_app = signup.app
files_app = after_the_last_byte.app
signup_app.post("/__release")(release)
files_app.post("/__release")(release)
