"""Mistake: a returned JSONResponse skips response_model: nothing is filtered."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    id: int
    name: str


ROW = {"id": 1, "name": "Pen", "supplier_id": 17}


@app.get("/filtered", response_model=Item)
def filtered():
    return ROW


@app.get("/leaky", response_model=Item)
def leaky():
    return JSONResponse(ROW)


@app.get("/contradicts", response_model=Item)
def contradicts():
    return JSONResponse({"status": "ok"})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/filtered", "/leaky", "/contradicts"):
        print(path, client.get(path).json())
        #> /filtered {'id': 1, 'name': 'Pen'}
        #> /leaky {'id': 1, 'name': 'Pen', 'supplier_id': 17}
        #> /contradicts {'status': 'ok'}

    schema = client.get("/openapi.json").json()["paths"]["/leaky"]["get"]
    print(schema["responses"]["200"]["content"]["application/json"]["schema"])
    #> {'$ref': '#/components/schemas/Item'}
    # --8<-- [end:try_it]
