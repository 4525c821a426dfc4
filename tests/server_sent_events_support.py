"""What the server-sent events page's tests share."""

from __future__ import annotations

# The headers EventSourceResponse sends, and no others.
SSE_HEADERS = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}
