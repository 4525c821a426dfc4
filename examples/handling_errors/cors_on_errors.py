"""Mistake: a handled 404 carries the CORS headers, an unhandled 500 does not."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Path
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"])

PRICES = {1: 25, 2: 0}


@app.get("/prices/{item_id}")
def price(item_id: int = Path(ge=1, le=1000)) -> dict[str, int]:
    if item_id not in PRICES:
        raise HTTPException(status_code=404, detail="Item not found")
    cents = PRICES[item_id]
    return {"item_id": item_id, "per_euro": 100 // cents}  # the bug: a free item


@app.get("/prices-fixed/{item_id}")
def price_fixed(item_id: int = Path(ge=1, le=1000)) -> dict[str, int]:
    if item_id not in PRICES:
        raise HTTPException(status_code=404, detail="Item not found")
    cents = PRICES[item_id]
    if cents == 0:  # a handled error, answered inside CORSMiddleware
        raise HTTPException(status_code=409, detail="Item has no price")
    return {"item_id": item_id, "per_euro": 100 // cents}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    origin = {"Origin": "https://shop.example"}
    for path in ["/prices/1", "/prices/9", "/prices/2", "/prices-fixed/2"]:
        response = client.get(path, headers=origin)
        cors = response.headers.get("access-control-allow-origin")
        print(response.status_code, response.text, "| allow-origin:", cors)
        #> 200 {"item_id":1,"per_euro":4} | allow-origin: https://shop.example
        #> 404 {"detail":"Item not found"} | allow-origin: https://shop.example
        #> 500 Internal Server Error | allow-origin: None
        #> 409 {"detail":"Item has no price"} | allow-origin: https://shop.example
    # --8<-- [end:try_it]
