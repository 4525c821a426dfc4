"""An untyped route: FastAPI runs the dict through jsonable_encoder and JSONResponse."""

# --8<-- [start:app]
from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
def all_items():
    return [
        {"name": "Stapler", "price": 7.25},
        {"name": "Desk lamp", "price": 24.0, "supplier_id": 17},
    ]


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/items")
    print(response.status_code, response.headers["content-type"])
    #> 200 application/json
    print(response.text)
    """
    [{"name":"Stapler","price":7.25},{"name":"Desk lamp","price":24.0,"supplier_id":17}]
    """
    # --8<-- [end:try_it]
