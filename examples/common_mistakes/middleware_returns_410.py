"""Fix: a middleware function answers by returning a response, not by raising."""

# --8<-- [start:app]
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.middleware("http")
async def retire_v1(request: Request, call_next):
    # the path the app routes, without a proxy's prefix (root_path)
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    if path == "/v1" or path.startswith("/v1/"):
        return JSONResponse(
            status_code=410, content={"detail": "API v1 is retired; use /v2/"}
        )
    return await call_next(request)


@app.get("/v2/products")
def products() -> list[str]:
    return ["tea", "cake"]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/v2/products").json())
    #> ['tea', 'cake']
    response = client.get("/v1/products")
    print(response.status_code, response.headers["content-type"], response.json())
    #> 410 application/json {'detail': 'API v1 is retired; use /v2/'}
    # --8<-- [end:try_it]
