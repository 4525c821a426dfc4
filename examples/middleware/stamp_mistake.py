"""Mistake: a function middleware adds a field to JSON bodies but keeps the old content-length."""

# --8<-- [start:app]
import json
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

app = FastAPI()


@app.get("/user")
def user() -> dict[str, str]:
    return {"name": "Ada"}


@app.middleware("http")
async def add_api_version(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    if response.headers.get("content-type") != "application/json":
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])
    data = json.loads(body)
    data["api_version"] = 2
    return Response(
        json.dumps(data),
        status_code=response.status_code,
        headers=dict(response.headers),  # the old content-length comes along
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/user")
    print(response.headers["content-length"], len(response.content))
    #> 14 33
    # --8<-- [end:try_it]
