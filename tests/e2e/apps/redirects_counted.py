"""Test-only app: examples/redirects/moved.py, counting the requests that reach it.

GET /__hits answers {path: count} for every path requested so far, so a browser
test can tell which redirects Chromium took from its cache instead of asking
the server. No example of the guide exposes this count over HTTP, hence this app.
"""

import json
from collections import Counter

from examples.redirects.moved import app as moved_app

HITS: Counter[str] = Counter()


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/__hits":
        body = json.dumps(HITS).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    if scope["type"] == "http":
        HITS[scope["path"]] += 1
    await moved_app(scope, receive, send)
