"""Check before the first byte, and end a failed JSON Lines stream with an error record."""

# --8<-- [start:app]
import itertools
import json
import logging
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path
from fastapi.responses import StreamingResponse

logger = logging.getLogger(__name__)
app = FastAPI()

# The same orders as the mistake: "cy" is archived, bob's second order is broken.
ORDERS = {
    "ada": [{"id": 1, "amount": 12.5}, {"id": 2, "amount": 3.0}],
    "bob": [{"id": 3, "amount": 7.25}, {"id": 4}, {"id": 5, "amount": 1.0}],
    "cy": None,
}


class Archived(Exception):
    pass


def read_orders(customer: str):
    orders = ORDERS[customer]
    if orders is None:
        raise Archived(customer)
    for order in orders:
        yield {"id": order["id"], "cents": round(order["amount"] * 100)}


def json_lines(rows):
    try:
        for row in rows:
            yield json.dumps(row) + "\n"
    except Exception:
        # Too late for a status code: log it, and say so in the last line.
        logger.exception("Order export failed")
        yield json.dumps({"error": "export_failed"}) + "\n"


@app.get(
    "/orders/{customer}",
    responses={
        404: {"description": "Unknown customer"},
        410: {"description": "Archived"},
    },
)
def export_orders(customer: Annotated[str, Path(max_length=20)]):
    # Everything that can fail before the first byte fails here, with a status.
    if customer not in ORDERS:
        raise HTTPException(status_code=404, detail="Unknown customer")
    rows = read_orders(customer)
    try:
        first = next(rows, None)  # runs the "query" now, while the status can change
    except Archived:
        raise HTTPException(status_code=410, detail="Customer archived") from None
    if first is not None:
        rows = itertools.chain([first], rows)  # put the first row back in front
    return StreamingResponse(json_lines(rows), media_type="application/jsonl")


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for customer in ["zed", "cy"]:
        response = client.get(f"/orders/{customer}")
        print(response.status_code, response.json())
        #> 404 {'detail': 'Unknown customer'}
        #> 410 {'detail': 'Customer archived'}

    # A client reads each line, and checks each record for "error".
    with client.stream("GET", "/orders/bob") as response:
        print(response.status_code)
        #> 200
        for line in response.iter_lines():
            record = json.loads(line)
            print("failed:" if "error" in record else "order:", record)
            #> order: {'id': 3, 'cents': 725}
            #> failed: {'error': 'export_failed'}
    # --8<-- [end:try_it]
