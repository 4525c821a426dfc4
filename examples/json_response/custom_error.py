"""Return a JSONResponse to pick the status code, headers and body of an error."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()

ITEMS = {1: {"id": 1, "name": "Pen"}, 2: {"id": 2, "name": "Notebook"}}


@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id not in ITEMS:
        return JSONResponse(
            content={"message": f"No item with id {item_id}"},
            status_code=404,
            headers={"X-Error": "item-not-found"},
        )
    return ITEMS[item_id]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    missing = client.get("/items/0")
    print(missing.status_code, missing.json())
    #> 404 {'message': 'No item with id 0'}
    print([name.decode() for name, _ in missing.headers.raw])
    #> ['x-error', 'content-length', 'content-type']

    found = client.get("/items/1")
    print(found.status_code, found.json())
    #> 200 {'id': 1, 'name': 'Pen'}
    print([name.decode() for name, _ in found.headers.raw])
    #> ['content-length', 'content-type']
    # --8<-- [end:try_it]
