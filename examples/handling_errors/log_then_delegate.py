"""Log an error, then let FastAPI's default handlers write the response."""

# --8<-- [start:app]
import logging

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

logger = logging.getLogger("shop.errors")

app = FastAPI()


@app.exception_handler(StarletteHTTPException)
async def log_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    logger.warning("%s %s -> %s", request.method, request.url.path, exc.status_code)
    return await http_exception_handler(request, exc)


@app.exception_handler(RequestValidationError)
async def log_invalid_request(
    request: Request, exc: RequestValidationError
) -> Response:
    logger.warning("%s %s -> 422", request.method, request.url.path)
    return await request_validation_exception_handler(request, exc)


@app.get("/items/{item_id}")
def read_item(item_id: int = Path(ge=1, le=1000)) -> dict[str, int]:
    if item_id > 3:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"item_id": item_id}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    logged: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logger.addHandler(ListHandler())
    client = TestClient(app)

    response = client.get("/items/9")
    print(response.status_code, response.json())
    #> 404 {'detail': 'Item not found'}
    response = client.get("/items/0")
    print(response.status_code, response.json()["detail"][0]["type"])
    #> 422 greater_than_equal
    response = client.get("/nowhere")
    print(response.status_code, response.json())
    #> 404 {'detail': 'Not Found'}
    print(logged)
    #> ['GET /items/9 -> 404', 'GET /items/0 -> 422', 'GET /nowhere -> 404']
    # --8<-- [end:try_it]
