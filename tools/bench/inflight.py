"""The benchmarked apps, each wrapped so the benchmark can tell when it is idle.

When wrk stops, requests it already sent are still being worked on: the
server does not stop computing a response because the client went away. A
measurement that starts then is spent on the previous one's backlog. So the
benchmark serves each example wrapped in `InFlight`, which counts the HTTP
requests the app is still working on and answers `GET /__inflight` with that
count itself, and waits for 0 before it starts the next measurement.

The wrapper costs one counter update per request, the same for every variant.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware

from examples.behind_nginx import feeds
from examples.performance import json_variants, streaming_variants

PATH = "/__inflight"


class InFlight:
    """ASGI middleware: count requests in progress; report them at PATH."""

    def __init__(self, app) -> None:
        self.app = app
        self.count = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == PATH:
            body = str(self.count).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/plain"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        self.count += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.count -= 1


json_app = InFlight(json_variants.app)
streaming_app = InFlight(streaming_variants.app)


class GzipUnder:
    """ASGI: paths under /gzip go, without the prefix, to the app in GZipMiddleware."""

    def __init__(self, app) -> None:
        self.app = app
        self.gzipped = GZipMiddleware(app)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/gzip/"):
            scope = {**scope, "path": scope["path"].removeprefix("/gzip")}
            scope["raw_path"] = scope["path"].encode()
            await self.gzipped(scope, receive, send)
        else:
            await self.app(scope, receive, send)


# examples/behind_nginx/feeds.py, and the same under /gzip in GZipMiddleware.
arrival_app = InFlight(GzipUnder(feeds.app))
