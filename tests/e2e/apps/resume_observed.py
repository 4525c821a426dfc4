"""Test-only: examples.server_sent_events.resume_last_event_id, plus a record
of the Last-Event-ID and Authorization headers each request to /messages
arrived with.

Playwright's request interception does not show the Last-Event-ID header
Chromium adds, so a browser test asks the server instead: GET /__seen returns
one entry per request, each header's value or null when it was absent.
"""

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from examples.server_sent_events import resume_last_event_id as example

SEEN: list[dict[str, str | None]] = []
RECORDED = [b"last-event-id", b"authorization"]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http" and scope["path"] == "/__seen":
        await JSONResponse(SEEN)(scope, receive, send)
        return
    if scope["type"] == "http" and scope["path"] == "/messages":
        headers = dict(scope["headers"])
        SEEN.append(
            {
                name.decode(): None if value is None else value.decode("latin-1")
                for name in RECORDED
                for value in [headers.get(name)]
            }
        )
    await example.app(scope, receive, send)
