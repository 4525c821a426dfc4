"""Report what the ASGI server declares to the app (its spec version and
extensions) and where a request came from."""

# --8<-- [start:app]
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/server")
def server_report(request: Request) -> dict[str, object]:
    # The server fills `scope` before the app sees the request.
    asgi = request.scope.get("asgi", {})
    return {
        # ASGI says a missing spec_version means "2.0".
        "spec_version": asgi.get("spec_version", "2.0"),
        "extensions": sorted(request.scope.get("extensions") or {}),
    }


def three_lines() -> Iterator[str]:
    for number in range(1, 4):
        yield f"line {number}\n"


@app.get("/lines")
def lines() -> StreamingResponse:
    return StreamingResponse(three_lines(), media_type="text/plain")


@app.get("/where/")
def where(request: Request) -> dict[str, str | None]:
    # Behind a proxy, these are the proxy's unless the server trusts it.
    return {
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
    }


# Behind nginx on the same machine: trust its X-Forwarded-For and
# X-Forwarded-Proto headers. uvicorn does so by default (127.0.0.1).
NGINX = "127.0.0.1"  # the address nginx connects from


def granian_app() -> Any:  # granian --factory ...:granian_app
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return wrap_asgi_with_proxy_headers(app, trusted_hosts=NGINX)


def hypercorn_app() -> Any:  # hypercorn "...:hypercorn_app()"
    from hypercorn.middleware import ProxyFixMiddleware

    # It believes whoever connects, X-Forwarded-Host and any scheme too:
    # let it see only nginx's requests, and only the two headers nginx sets.
    fixed = ProxyFixMiddleware(app, mode="legacy", trusted_hops=1)

    async def from_nginx_only(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or (scope.get("client") or ("",))[0] != NGINX:
            return await app(scope, receive, send)
        kept = [
            (name, value)
            for name, value in scope["headers"]
            if name != b"x-forwarded-host"
            and (name != b"x-forwarded-proto" or value in (b"http", b"https"))
        ]
        await fixed({**scope, "headers": kept}, receive, send)

    return from_nginx_only


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/server").json())
    """
    {
        "spec_version": "2.0",
        "extensions": ["http.response.debug", "http.response.trailers"],
    }
    """
    response = client.get("/lines")
    print(response.status_code, repr(response.text))
    #> 200 'line 1\nline 2\nline 3\n'
    # The app reads the headers only through the server.
    response = client.get("/where/", headers={"X-Forwarded-Proto": "https"})
    print(response.json())
    #> {'client': 'testclient', 'scheme': 'http'}
    # --8<-- [end:try_it]
