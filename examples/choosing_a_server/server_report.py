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
def granian_app() -> Any:  # granian --factory ...:granian_app
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return wrap_asgi_with_proxy_headers(app, trusted_hosts="127.0.0.1")


def hypercorn_app() -> Any:  # hypercorn "...:hypercorn_app()"
    from hypercorn.middleware import ProxyFixMiddleware

    # Trusts the last hop whoever connects: bind to 127.0.0.1 only.
    return ProxyFixMiddleware(app, mode="legacy", trusted_hops=1)


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
