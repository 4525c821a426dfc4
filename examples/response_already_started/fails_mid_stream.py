"""Mistake: a stream that fails after it started: the client already has a 200."""

# --8<-- [start:app]
import json

from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

# One customer's orders per name; "cy" is archived, and bob's second order is
# broken: it has no amount.
ORDERS = {
    "ada": [{"id": 1, "amount": 12.5}, {"id": 2, "amount": 3.0}],
    "bob": [{"id": 3, "amount": 7.25}, {"id": 4}, {"id": 5, "amount": 1.0}],
    "cy": None,
}


class Archived(Exception):
    pass


def read_orders(customer: str):
    # Like a database cursor: nothing here runs until the first row is asked for.
    orders = ORDERS[customer]
    if orders is None:
        raise Archived(customer)
    for order in orders:
        yield {"id": order["id"], "cents": round(order["amount"] * 100)}


def json_lines(rows):
    for row in rows:
        yield json.dumps(row) + "\n"


@app.get("/orders/{customer}")
def export_orders(customer: str):
    rows = read_orders(customer)
    return StreamingResponse(json_lines(rows), media_type="application/jsonl")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/orders/ada").text)
    """
    {"id": 1, "cents": 1250}
    {"id": 2, "cents": 300}
    """
    try:
        client.get("/orders/bob")
    except KeyError as error:
        print("KeyError:", error)
        #> KeyError: 'amount'

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/orders/bob")
    print(response.status_code, repr(response.text))
    #> 200 '{"id": 3, "cents": 725}\n'
    # --8<-- [end:try_it]
