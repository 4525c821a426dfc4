"""The same routes behind a pure ASGI middleware, which sees each message as it passes."""

# --8<-- [start:app]
import time

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examples.middleware.function_middleware import router


class ElapsedHeader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["x-elapsed"] = f"{time.perf_counter() - started:.3f}"
            await send(message)  # every message goes on at once, untouched

        await self.app(scope, receive, send_with_header)


app = FastAPI()
app.include_router(router)
app.add_middleware(ElapsedHeader)
# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/ticks")
    print(response.text.count("tick"), float(response.headers["x-elapsed"]) < 0.5)
    #> 20 True
    response = client.post("/signup")
    print(response.json(), client.get("/events").json()[-2:])
    #> {'status': 'signed up'} ['task started', 'task done']
    # --8<-- [end:try_it]
