"""Mistake: a handler for Exception answers a bug with a friendly 400."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse

app = FastAPI()

PRICES = {"tea": 350, "cake": 425, "gift-card": 2000}  # in cents
CATEGORIES = {"tea": "drink", "cake": "food", "gift-card": "voucher"}
TAX_PERCENT = {"drink": 10, "food": 10}  # the bug: no entry for "voucher"


@app.exception_handler(Exception)
async def friendly_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=400,
        content={"message": "Sorry, please check your request and try again."},
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
    print(client.get("/prices/tea").json())
    #> {'cents': 385}
    response = client.get("/prices/gift-card")
    print(response.status_code, response.json())
    #> 400 {'message': 'Sorry, please check your request and try again.'}
    # --8<-- [end:try_it]
