"""Test-only: examples.server_sent_events.subscribers_cleanup, plus a way to see `connected`.

The example keeps its subscribers in a module-level set that no route exposes,
so a real-server test could not see whether the yield dependency removed a
client that left. This module serves the example's own `app` object with one
extra route, GET /__connected, that returns that set.
"""

from examples.server_sent_events import subscribers_cleanup as example

app = example.app


@app.get("/__connected")
def connected() -> list[str]:
    return sorted(example.connected)
