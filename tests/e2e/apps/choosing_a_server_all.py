"""Test-only app: the Choosing a server page's apps in one, so each server setup
starts once per test module.

The routes of tests/e2e/apps/cleanup_observed.py (the disconnect table of
docs/streaming.md), examples/choosing_a_server/server_report.py (what the server
declares) and examples/files/download_report.py (a FileResponse download; point
its SUMMARY at a bigger file with `--set examples.files.download_report.SUMMARY=...`).
Automatic garbage collection is off, so a finally that waits for the collector
runs exactly at POST /__collect, not at a moment the test cannot see coming
(with four streams at once, it otherwise ran 0.2 s after the dependency's).
GET /__sent lists the kinds of ASGI message the app sent for the last /download
(`http.response.pathsend` when the server sent the file itself).
"""

import gc
from typing import Any

from fastapi import FastAPI

from examples.choosing_a_server import server_report
from examples.files import download_report
from tests.e2e.apps import cleanup_observed

SENT: list[str] = []
gc.disable()


class RecordDownloadMessages:
    """Pure ASGI middleware: note each message type /download sends, in order."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != "/download":
            await self.app(scope, receive, send)
            return
        SENT.clear()

        async def recording(message: Any) -> None:
            if not SENT or SENT[-1] != message["type"]:
                SENT.append(message["type"])
            await send(message)

        await self.app(scope, receive, recording)


app = FastAPI()
for part in (cleanup_observed.app, server_report.app, download_report.app):
    app.include_router(part.router)
app.add_middleware(RecordDownloadMessages)


@app.get("/__sent")
def sent() -> list[str]:
    return SENT
