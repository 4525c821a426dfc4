"""One pure ASGI middleware adds the security headers to every answer that passes it."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])  # ASGI lets an app leave it out
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)  # a route's own value wins
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = FastAPI()
app.add_middleware(SecurityHeaders)


@app.exception_handler(Exception)
async def server_error(request: Request, exc: Exception) -> JSONResponse:
    # runs in ServerErrorMiddleware, outside SecurityHeaders: add them here too
    return JSONResponse(
        {"detail": "Internal Server Error"}, status_code=500, headers=SECURITY_HEADERS
    )


@app.get("/items/{item_id}")
def item(item_id: int) -> dict[str, int]:
    if item_id != 1:
        raise HTTPException(404, "No such item")
    return {"id": item_id}


@app.get("/page", response_class=HTMLResponse)
def page() -> HTMLResponse:
    # an HTML page needs a looser policy than the default: it sets its own
    policy = "default-src 'self'; frame-ancestors 'none'"
    return HTMLResponse("<h1>Orders</h1>", headers={"Content-Security-Policy": policy})


admin = FastAPI()  # a separate app, mounted under /admin


@admin.get("/ping")
def ping() -> dict[str, bool]:
    return {"ok": True}


app.mount("/admin", admin)
# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for method, path in [
        ("GET", "/items/1"),  # the route's answer
        ("GET", "/items/2"),  # an HTTPException
        ("GET", "/items/x"),  # a validation error
        ("GET", "/nowhere"),  # no route
        ("POST", "/items/1"),  # no such method
        ("GET", "/admin/ping"),  # the mounted app
        ("GET", "/page"),  # a route that sets its own policy
    ]:
        response = client.request(method, path)
        print(response.status_code, response.headers["content-security-policy"])
        #> 200 default-src 'none'; frame-ancestors 'none'
        #> 404 default-src 'none'; frame-ancestors 'none'
        #> 422 default-src 'none'; frame-ancestors 'none'
        #> 404 default-src 'none'; frame-ancestors 'none'
        #> 405 default-src 'none'; frame-ancestors 'none'
        #> 200 default-src 'none'; frame-ancestors 'none'
        #> 200 default-src 'self'; frame-ancestors 'none'
    # --8<-- [end:try_it]
