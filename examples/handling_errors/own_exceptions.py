"""Handlers for your own exception class and for a status code."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()

STOCK = {1: 3, 2: 0}


class OutOfStock(Exception):
    def __init__(self, item_id: int) -> None:
        self.item_id = item_id


@app.exception_handler(OutOfStock)
async def out_of_stock(request: Request, exc: OutOfStock) -> JSONResponse:
    return JSONResponse(
        status_code=409,
        content={"error": "out_of_stock", "item_id": exc.item_id},
    )


@app.exception_handler(404)
async def not_found(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(status_code=404, content={"error": "not_found"})


@app.post("/items/{item_id}/reserve")
def reserve(item_id: int = Path(ge=1, le=1000)) -> dict[str, int]:
    if item_id not in STOCK:
        raise HTTPException(status_code=404)
    if STOCK[item_id] == 0:
        raise OutOfStock(item_id)
    return {"item_id": item_id, "left": STOCK[item_id] - 1}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/items/1/reserve", "/items/2/reserve", "/items/9/reserve"]:
        response = client.post(path)
        print(response.status_code, response.json())
        #> 200 {'item_id': 1, 'left': 2}
        #> 409 {'error': 'out_of_stock', 'item_id': 2}
        #> 404 {'error': 'not_found'}
    response = client.get("/no/such/path")
    print(response.status_code, response.json())
    #> 404 {'error': 'not_found'}
    response = client.get("/items/1/reserve")
    print(response.status_code, response.json())
    #> 405 {'detail': 'Method Not Allowed'}
    # --8<-- [end:try_it]
