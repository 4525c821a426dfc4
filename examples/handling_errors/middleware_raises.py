"""Mistake: an HTTPException raised in middleware is no 401 but a 500."""

# --8<-- [start:app]
import secrets

from fastapi import FastAPI, HTTPException, Request

app = FastAPI()

API_KEY = b"s3cret"


@app.middleware("http")
async def require_key(request: Request, call_next):
    protected = request.url.path.startswith("/stats")
    key = request.headers.get("x-api-key", "").encode()
    if protected and not secrets.compare_digest(key, API_KEY):
        raise HTTPException(status_code=401, detail="Missing or wrong API key")
    return await call_next(request)


@app.get("/stats")
def stats() -> dict[str, int]:
    return {"orders": 42}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/stats", headers={"x-api-key": "s3cret"})
    print(response.status_code, response.json())
    #> 200 {'orders': 42}
    response = client.get("/stats")
    print(response.status_code, response.headers["content-type"], response.text)
    #> 500 text/plain; charset=utf-8 Internal Server Error
    # --8<-- [end:try_it]
