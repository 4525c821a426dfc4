"""Report what the ASGI server declares to the app: its spec version and extensions."""

# --8<-- [start:app]
from collections.abc import Iterator

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
    # --8<-- [end:try_it]
