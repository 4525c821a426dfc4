"""Test-only app: examples.after_the_response.background_tasks with its task held.

send_receipt waits until POST /__release (for at most HOLD_SECONDS) before it
does its work, so a test can see what the client already has while the task
has certainly not finished: an order of events, not a race against a timer.
"""

import anyio

from examples.after_the_response import background_tasks as example

app = example.app
HOLD_SECONDS = 30.0  # the most a held task waits for its release
released = anyio.Event()
original_send_receipt = example.send_receipt


async def held_send_receipt(order_id: int) -> None:
    with anyio.move_on_after(HOLD_SECONDS):
        await released.wait()
    await original_send_receipt(order_id)


example.send_receipt = held_send_receipt  # the route looks the name up per call


@app.post("/__release")
async def release() -> dict[str, bool]:  # async: set the event on the loop's thread
    released.set()
    return {"released": True}
