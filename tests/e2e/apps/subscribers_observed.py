"""Test-only: examples.server_sent_events.subscribers_cleanup, plus a way to see `connected`.

The example keeps its subscribers in a module-level set that no route exposes,
so a real-server test could not see whether the yield dependency removed a
client that left. This module serves the example's own `app` object with one
extra route, GET /__connected, that returns that set. The feed's INTERVAL is
replaced from the E2E_INTERVAL environment variable (tests/launch.py only
replaces constants of the module it is given, which is this one).
"""

import os

from examples.server_sent_events import subscribers_cleanup as example

if "E2E_INTERVAL" in os.environ:
    example.INTERVAL = float(os.environ["E2E_INTERVAL"])

app = example.app


@app.get("/__connected")
def connected() -> list[str]:
    return sorted(example.connected)
