"""Test-only: examples.server_sent_events.subscribers_cleanup, plus a way to see `connected`.

The example keeps its subscribers in a module-level Counter that no route exposes,
so a real-server test could not see whether the yield dependency removed a
client that left. This module serves the example's own `app` object with one
extra route, GET /__connected, that returns that Counter (name -> open streams).
"""

from examples.server_sent_events import subscribers_cleanup as example

app = example.app


@app.get("/__connected")
def connected() -> dict[str, int]:
    return dict(example.connected)
