"""Test-only app for tests/e2e/test_behind_nginx_headers.py: the Redirects
page's moved app (its `/latest` redirect shows the host the app sees) plus
routes that show what else of a proxied request reaches the app: the client's
address, the HTTP version and Connection header nginx sent, a request body's
size, and an HTML page for gzip. One app, so one uvicorn serves every test.
"""

from fastapi import Request
from fastapi.responses import HTMLResponse

from examples.redirects.moved import app


@app.get("/seen")
def seen(request: Request) -> dict[str, str | None]:
    return {
        "client": request.client.host if request.client else None,
        "http_version": request.scope["http_version"],
        "connection": request.headers.get("connection"),
    }


@app.post("/upload")
async def upload(request: Request) -> dict[str, int]:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return {"size": size}


@app.get("/page", response_class=HTMLResponse)
def page() -> str:
    return "<h1>Welcome</h1>" + "<p>A page long enough to compress.</p>" * 20
