"""Mistake: HTTPException raised in a middleware function reaches the client as a 500."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Request

app = FastAPI()


@app.middleware("http")
async def retire_v1(request: Request, call_next):
    if request.url.path.startswith("/v1/"):
        raise HTTPException(status_code=410, detail="API v1 is retired; use /v2/")
    return await call_next(request)


@app.get("/v2/products")
def products() -> list[str]:
    return ["tea", "cake"]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    print(client.get("/v2/products").json())
    #> ['tea', 'cake']
    response = client.get("/v1/products")
    print(response.status_code, response.headers["content-type"], response.text)
    #> 500 text/plain; charset=utf-8 Internal Server Error
    # --8<-- [end:try_it]
