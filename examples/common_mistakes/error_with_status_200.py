"""Mistake: an error sent with status 200 looks like a success to every client."""

# --8<-- [start:app]
from fastapi import FastAPI, Response

app = FastAPI()

PRODUCTS = {1: {"id": 1, "name": "tea"}, 2: {"id": 2, "name": "cake"}}


@app.get("/products/{product_id}")
def product(product_id: int, response: Response) -> dict[str, int | str]:
    response.headers["cache-control"] = "public, max-age=300"
    if product_id not in PRODUCTS:
        return {"error": "not found"}
    return PRODUCTS[product_id]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/products/9")
    print(response.status_code, response.json())
    #> 200 {'error': 'not found'}
    print(response.is_success, response.headers["cache-control"])
    #> True public, max-age=300
    openapi = client.get("/openapi.json").json()
    print(sorted(openapi["paths"]["/products/{product_id}"]["get"]["responses"]))
    #> ['200', '422']
    # --8<-- [end:try_it]
