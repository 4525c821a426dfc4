"""Test-only: files from StaticFiles behind the page's two body middlewares
(AddApiVersion inside GZipMiddleware, as docs/middleware.md says to add them),
with a record of the ASGI message types a middleware between them saw.

GET /__seen returns, per request to a file, the types of the messages the app
sent through the middleware: a server offering http.response.pathsend
(Granian) gets the path instead of body messages. Point FILES at a directory a
test made with --set FILES=<path>.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examples.middleware.stamp_fixed import AddApiVersion

FILES = Path(".")  # replaced by the test
SEEN: list[list[str]] = []  # one list per request for a file


class RecordMessages:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if not (path.startswith("/static/") or path == "/download"):
            await self.app(scope, receive, send)
            return
        seen: list[str] = []
        SEEN.append(seen)

        async def record(message: Message) -> None:
            seen.append(message["type"])
            await send(message)

        await self.app(scope, receive, record)


app = FastAPI()
app.add_middleware(RecordMessages)
app.add_middleware(AddApiVersion)
app.add_middleware(GZipMiddleware)


@app.get("/download")
def download() -> FileResponse:
    return FileResponse(FILES / "big.txt")


@app.get("/__seen")
def seen() -> JSONResponse:
    return JSONResponse(SEEN)


async def files(scope: Scope, receive: Receive, send: Send) -> None:
    # Built per request: FILES is replaced after this module is imported.
    await StaticFiles(directory=FILES)(scope, receive, send)


app.mount("/static", files)
