"""Mistake: the default 422 echoes the input: a 500 on NaN, a huge body."""

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

    # The catch: "input" holds what the client sent, however large or odd.
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/orders", json={"item": "x" * 2_000_000, "quantity": 1})
    print(response.status_code, len(response.content), "bytes")
    #> 422 2000145 bytes
    json_nan = {"content-type": "application/json"}
    response = client.post("/orders", content=b'{"quantity": NaN}', headers=json_nan)
    print(response.status_code, response.text)
    #> 500 Internal Server Error
    text = {"content-type": "text/plain"}
    response = client.post("/orders", content=b"\xff\xfe", headers=text)
    print(response.status_code, response.text)
    #> 500 Internal Server Error
    # --8<-- [end:try_it]
