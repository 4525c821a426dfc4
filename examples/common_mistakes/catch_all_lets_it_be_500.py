"""Fix: a handler for Exception keeps the 500, and logs the bug with an error id."""

# --8<-- [start:app]
import logging
import uuid

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse

app = FastAPI()

logger = logging.getLogger("shop")

PRICES = {"tea": 350, "cake": 425, "gift-card": 2000}  # in cents
CATEGORIES = {"tea": "drink", "cake": "food", "gift-card": "voucher"}
TAX_PERCENT = {"drink": 10, "food": 10, "voucher": 0}


@app.exception_handler(Exception)
async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex
    logger.error("error_id=%s %s", error_id, request.url.path, exc_info=exc)
    return JSONResponse(
        status_code=500, content={"error": "internal_error", "error_id": error_id}
    )


@app.get("/prices/{item}")
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
    print(response.status_code, body["error"], len(body["error_id"]))
    #> 500 internal_error 32
    # --8<-- [end:try_it]
