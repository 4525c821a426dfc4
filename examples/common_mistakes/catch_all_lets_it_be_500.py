"""Fix: a handler for Exception keeps the 500, and logs an error id for the bug."""

# --8<-- [start:app]
import logging
import uuid

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class Error(BaseModel):
    """The one error shape of this app; only a bug's 500 has an id."""

    detail: str
    error_id: str | None = None


# every route can hit a bug, so the 500 is documented for the whole app
app = FastAPI(responses={500: {"model": Error, "description": "A bug; quote the id"}})

logger = logging.getLogger("shop")

PRICES = {"tea": 350, "cake": 425, "gift-card": 2000}  # in cents
CATEGORIES = {"tea": "drink", "cake": "food", "gift-card": "voucher"}
TAX_PERCENT = {"drink": 10, "food": 10, "voucher": 0}


@app.exception_handler(Exception)
async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex
    route = getattr(request.scope.get("route"), "path", "(no route)")
    # one line: uvicorn logs the traceback right after it, once
    logger.error(
        "error_id=%s %s %s %s", error_id, request.method, route, type(exc).__name__
    )
    return JSONResponse(
        status_code=500, content={"detail": "Internal error", "error_id": error_id}
    )


@app.get(
    "/prices/{item}",
    responses={404: {"model": Error, "description": "No such item"}},
)
def price_with_tax(item: str = Path(max_length=40)) -> dict[str, int]:
    if item not in PRICES:
        raise HTTPException(status_code=404, detail="No such item")
    tax = TAX_PERCENT[CATEGORIES[item]]
    return {"cents": PRICES[item] * (100 + tax) // 100}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    print(client.get("/prices/gift-card").json())
    #> {'cents': 2000}

    TAX_PERCENT.pop("voucher")  # bring the bug back, to see the handler
    response = client.get("/prices/gift-card")
    body = response.json()
    print(response.status_code, body["detail"], len(body["error_id"]))
    #> 500 Internal error 32
    # --8<-- [end:try_it]
