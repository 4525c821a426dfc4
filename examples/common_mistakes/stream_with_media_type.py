"""Fix: give every stream a media_type, and a file name if it is a download."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

ORDERS = [(1, "Pen", 3), (2, "Notebook", 1), (3, "Stapler", 2)]


def csv_rows():
    yield "order_id,product,quantity\n"
    for order_id, product, quantity in ORDERS:
        yield f"{order_id},{product},{quantity}\n"


class CSVStreamingResponse(StreamingResponse):
    media_type = "text/csv"


# response_class= puts text/csv, not application/json, in the OpenAPI document.
@app.get("/orders.csv", response_class=CSVStreamingResponse)
def export_orders():
    return StreamingResponse(
        csv_rows(),
        media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="orders.csv"'},
    )


@app.get("/orders-yielded.csv", response_class=CSVStreamingResponse)
def export_orders_yielded():
    yield from csv_rows()


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/orders.csv")
    print(response.status_code, response.headers.get("content-type"))
    #> 200 text/csv; charset=utf-8
    print(response.headers["content-disposition"])
    #> attachment; filename="orders.csv"
    print(response.text.splitlines())
    #> ['order_id,product,quantity', '1,Pen,3', '2,Notebook,1', '3,Stapler,2']

    response = client.get("/orders-yielded.csv")
    print(response.status_code, response.headers.get("content-type"))
    #> 200 text/csv; charset=utf-8

    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/orders.csv", "/orders-yielded.csv"):
        print(path, list(paths[path]["get"]["responses"]["200"]["content"]))
        #> /orders.csv ['text/csv']
        #> /orders-yielded.csv ['text/csv']
    # --8<-- [end:try_it]
