"""Middleware answers a refused request by returning a response, not by raising."""

# --8<-- [start:app]
import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()

API_KEY = b"s3cret"


@app.middleware("http")
async def require_key(request: Request, call_next):
    protected = request.url.path.startswith("/stats")
    key = request.headers.get("x-api-key", "").encode()
    if protected and not secrets.compare_digest(key, API_KEY):
        return JSONResponse(
            status_code=401, content={"detail": "Missing or wrong API key"}
        )
    return await call_next(request)


@app.get("/stats")
def stats() -> dict[str, int]:
    return {"orders": 42}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/stats", headers={"x-api-key": "s3cret"})
    print(response.status_code, response.json())
    #> 200 {'orders': 42}
    response = client.get("/stats")
    print(response.status_code, response.json())
    #> 401 {'detail': 'Missing or wrong API key'}

    from fastapi.routing import APIRouter

    layer = app.build_middleware_stack()  # the outermost layer
    names = []
    while not isinstance(layer, APIRouter):
        names.append(type(layer).__name__)
        layer = layer.app
    # the two layers that call handlers, and yours (BaseHTTPMiddleware)
    shown = {"ServerErrorMiddleware", "BaseHTTPMiddleware", "ExceptionMiddleware"}
    print(" > ".join(name for name in names if name in shown))
    #> ServerErrorMiddleware > BaseHTTPMiddleware > ExceptionMiddleware
    # --8<-- [end:try_it]
