"""The validation error body FastAPI sends by default, and what OpenAPI says about it."""

# --8<-- [start:app]
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Order(BaseModel):
    item: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=100)


@app.post("/orders")
def create_order(order: Order) -> Order:
    return order


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import json

    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/orders", json={"item": "pen", "quantity": 0})
    print(response.status_code, response.headers["content-type"])
    #> 422 application/json
    print(json.dumps(response.json(), indent=2))
    """
    {
      "detail": [
        {
          "type": "greater_than_equal",
          "loc": [
            "body",
            "quantity"
          ],
          "msg": "Input should be greater than or equal to 1",
          "input": 0,
          "ctx": {
            "ge": 1
          }
        }
      ]
    }
    """

    documented = app.openapi()["paths"]["/orders"]["post"]["responses"]["422"]
    print(documented["content"]["application/json"]["schema"])
    #> {'$ref': '#/components/schemas/HTTPValidationError'}
    # --8<-- [end:try_it]
