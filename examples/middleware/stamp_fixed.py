"""A pure ASGI middleware that adds a field to small JSON bodies and sets their new length."""

# --8<-- [start:app]
import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import StreamingResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LIMIT = 64 * 1024  # bytes: a bigger JSON body goes out unchanged
DELAY = 0.05  # seconds before each line of /feed
FILE_HEADERS = ("accept-ranges", "etag", "last-modified")


class AddApiVersion:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None  # the http.response.start of a JSON response

        async def send_stamped(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                if may_stamp(message):
                    held = message  # wait for the body before sending headers
                    return
            elif held is not None:  # the first message after the held start
                start, held = held, None
                body = message.get("body", b"")
                whole = message["type"] == "http.response.body" and not message.get(
                    "more_body", False
                )
                new = stamp(body) if whole and len(body) <= LIMIT else body
                if new != body:  # only a changed body gets a new length
                    message["body"] = new
                    MutableHeaders(scope=start)["content-length"] = str(len(new))
                await send(start)  # a stream's first chunk goes on unchanged
            await send(message)

        await self.app(scope, receive, send_stamped)


def may_stamp(start: Message) -> bool:
    headers = MutableHeaders(scope=start)
    media_type = headers.get("content-type", "").partition(";")[0].strip()
    return (
        media_type.lower() == "application/json"
        and start["status"] >= 200
        and start["status"] not in (204, 206, 304)  # no body, or a slice
        and "content-range" not in headers
        and "content-encoding" not in headers  # compressed: not JSON text
        # A file (FileResponse, StaticFiles): its HEAD and Range answers
        # describe the file's own bytes, so its body must stay as it is.
        and all(name not in headers for name in FILE_HEADERS)
    )


def stamp(body: bytes) -> bytes:
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            return body
        data["api_version"] = 2
        text = json.dumps(
            data, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (ValueError, RecursionError):  # not JSON, NaN or Infinity, too deep
        return body
    return text.encode()


app = FastAPI()
app.add_middleware(AddApiVersion)


@app.get("/user")
def user() -> dict[str, str]:
    return {"name": "Ada"}


@app.get("/names")
def names(count: Annotated[int, Query(ge=0, le=20_000)] = 2) -> dict[str, list[str]]:
    return {"names": ["Ada"] * count}


@app.get("/feed")
async def feed() -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        for number in range(3):
            await asyncio.sleep(DELAY)
            yield json.dumps({"tick": number}) + "\n"

    return StreamingResponse(lines(), media_type="application/json")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/user")
    print(response.headers["content-length"], response.json())
    #> 30 {'name': 'Ada', 'api_version': 2}
    response = client.get("/names", params={"count": 20_000})
    print(response.headers["content-length"], "api_version" in response.json())
    #> 120011 False
    response = client.get("/feed")
    print(response.headers.get("content-length"), response.text.splitlines())
    #> None ['{"tick": 0}', '{"tick": 1}', '{"tick": 2}']
    # --8<-- [end:try_it]
