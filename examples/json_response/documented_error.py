"""A typed route that returns a JSONResponse for its error, documented with responses=."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    id: int
    name: str


class Message(BaseModel):
    message: str


ITEMS = {1: Item(id=1, name="Pen")}


@app.get("/items/{item_id}", responses={404: {"model": Message}})
def read_item(item_id: int) -> Item:
    if item_id not in ITEMS:
        return JSONResponse({"message": "Item not found"}, status_code=404)
    return ITEMS[item_id]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/items/1").json())
    #> {'id': 1, 'name': 'Pen'}
    print(client.get("/items/7").json())
    #> {'message': 'Item not found'}

    documented = client.get("/openapi.json").json()["paths"]["/items/{item_id}"]
    for status, response in documented["get"]["responses"].items():
        print(status, response["content"]["application/json"]["schema"])
        #> 200 {'$ref': '#/components/schemas/Item'}
        #> 404 {'$ref': '#/components/schemas/Message'}
        #> 422 {'$ref': '#/components/schemas/HTTPValidationError'}
    # --8<-- [end:try_it]
