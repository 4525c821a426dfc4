"""Fix: raise HTTPException with the error's status, and document it with responses=."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

app = FastAPI()

PRODUCTS = {1: {"id": 1, "name": "tea"}, 2: {"id": 2, "name": "cake"}}


class Product(BaseModel):
    id: int
    name: str


class NotFound(BaseModel):
    detail: str


@app.get(
    "/products/{product_id}",
    responses={404: {"model": NotFound, "description": "No product with this id"}},
)
def product(product_id: int, response: Response) -> Product:
    response.headers["cache-control"] = "public, max-age=300"
    if product_id not in PRODUCTS:
        raise HTTPException(status_code=404, detail="No product with this id")
    return Product(**PRODUCTS[product_id])


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/products/9")
    print(response.status_code, response.json())
    #> 404 {'detail': 'No product with this id'}
    print(response.is_success, response.headers.get("cache-control"))
    #> False None
    openapi = client.get("/openapi.json").json()
    responses = openapi["paths"]["/products/{product_id}"]["get"]["responses"]
    print(sorted(responses), responses["404"]["description"])
    #> ['200', '404', '422'] No product with this id
    # --8<-- [end:try_it]
