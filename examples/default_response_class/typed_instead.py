"""The replacement: no default_response_class, and a return type on each route."""

# --8<-- [start:app]
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float


@app.get("/items")
def list_items() -> list[Item]:
    return [Item(name="Pen", price=1.5), Item(name="Notebook", price=4.0)]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import warnings

    from fastapi.testclient import TestClient

    client = TestClient(app)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = client.get("/items")
    print(response.headers["content-type"], response.text)
    #> application/json [{"name":"Pen","price":1.5},{"name":"Notebook","price":4.0}]
    print(caught)
    #> []
    # --8<-- [end:try_it]
