"""Mistake: ORJSONResponse as the default response class, which is deprecated."""

# Runs on a server only: it needs orjson, which the browser runtime does not include (Pyodide builds orjson 3.11.8, not the pinned 3.13).

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import ORJSONResponse
from pydantic import BaseModel

app = FastAPI(default_response_class=ORJSONResponse)


class Item(BaseModel):
    name: str
    price: float


@app.get("/untyped")
def untyped():
    return {"name": "Pen", "price": 1.5}


@app.get("/typed")
def typed() -> Item:
    return Item(name="Pen", price=1.5)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import warnings

    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/untyped", "/typed"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            response = client.get(path)
        print(path, response.text, [w.category.__name__ for w in caught])
        #> /untyped {"name":"Pen","price":1.5} ['FastAPIDeprecationWarning']
        #> /typed {"name":"Pen","price":1.5} ['FastAPIDeprecationWarning']
    # --8<-- [end:try_it]
