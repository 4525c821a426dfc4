"""Mistake: JSONResponse only takes plain JSON types; encode dates and models first."""

# --8<-- [start:app]
from datetime import datetime

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    added: datetime


PEN = Item(name="Pen", added=datetime(2025, 3, 1, 9, 30))


@app.get("/broken-date")
def broken_date():
    return JSONResponse({"checked": datetime(2025, 3, 2)})


@app.get("/broken-model")
def broken_model():
    return JSONResponse(PEN)


@app.get("/encoded")
def encoded():
    return JSONResponse(jsonable_encoder({"checked": datetime(2025, 3, 2)}))


@app.get("/dumped")
def dumped():
    return JSONResponse(PEN.model_dump(mode="json"), status_code=201)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    print(client.get("/broken-date").status_code)
    #> 500

    for path in ("/broken-date", "/broken-model"):
        try:
            TestClient(app).get(path)
        except TypeError as exc:
            print(exc)
            #> Object of type datetime is not JSON serializable
            #> Object of type Item is not JSON serializable

    print(client.get("/encoded").text)
    #> {"checked":"2025-03-02T00:00:00"}
    print(client.get("/dumped").text)
    #> {"name":"Pen","added":"2025-03-01T09:30:00"}
    # --8<-- [end:try_it]
