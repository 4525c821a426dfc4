"""A path operation that yields with no response_class streams JSON Lines."""

# --8<-- [start:app]
from collections.abc import AsyncIterable

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float


@app.get("/items")
async def stream_items() -> AsyncIterable[Item]:
    yield Item(name="Pen", price=1.5)
    yield Item(name="Notebook", price=4.0)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    with client.stream("GET", "/items") as response:
        print(response.headers["content-type"])
        #> application/jsonl
        for line in response.iter_lines():
            print(line)
            #> {"name":"Pen","price":1.5}
            #> {"name":"Notebook","price":4.0}
    # --8<-- [end:try_it]
