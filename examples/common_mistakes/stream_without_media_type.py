"""Mistake: a StreamingResponse with no media_type sends no content-type at all."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

ORDERS = [(1, "Pen", 3), (2, "Notebook", 1), (3, "Stapler", 2)]


def csv_rows():
    yield "order_id,product,quantity\n"
    for order_id, product, quantity in ORDERS:
        yield f"{order_id},{product},{quantity}\n"


@app.get("/orders.csv")
def export_orders():
    return StreamingResponse(csv_rows())


@app.get("/orders-yielded.csv", response_class=StreamingResponse)
def export_orders_yielded():
    yield from csv_rows()


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/orders.csv")
    print(response.status_code, response.headers.get("content-type"))
    #> 200 None
    print(dict(response.headers))
    #> {}

    response = client.get("/orders-yielded.csv")
    print(response.status_code, response.headers.get("content-type"))
    #> 200 None
    # --8<-- [end:try_it]
