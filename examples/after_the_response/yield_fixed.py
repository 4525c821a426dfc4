"""A yield dependency that re-raises the route's error and commits before the response."""

# --8<-- [start:app]
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path

app = FastAPI()

ORDERS = {1: "open", 2: "open"}
LOCKED = {2}  # orders another process holds: committing a change to one fails
LOG: list[str] = []  # what the dependency did


def note(event: str) -> None:
    LOG.append(event)
    del LOG[:-10]


def transaction() -> Iterator[list[int]]:
    changes: list[int] = []
    try:
        yield changes
    except Exception:
        note("rolled back")
        raise  # the route's error goes on to its handler
    if LOCKED & set(changes):
        raise HTTPException(status_code=409, detail="Order is locked")
    note("committed")


# scope="function": the code after the yield runs before the response is sent
Changes = Annotated[list[int], Depends(transaction, scope="function")]


@app.post("/orders/{order_id}/pay")
def pay(order_id: Annotated[int, Path(ge=1, le=1000)], changes: Changes) -> dict:
    if order_id not in ORDERS:
        raise HTTPException(status_code=404, detail="Order not found")
    changes.append(order_id)
    return {"order": order_id, "status": "paid"}


@app.get("/log")
def log() -> list[str]:
    return LOG


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.post("/orders/1/pay").json(), LOG)
    #> {'order': 1, 'status': 'paid'} ['committed']
    response = client.post("/orders/9/pay")
    print(response.status_code, response.json(), LOG)
    #> 404 {'detail': 'Order not found'} ['committed', 'rolled back']
    response = client.post("/orders/2/pay")
    print(response.status_code, response.json())
    #> 409 {'detail': 'Order is locked'}
    # --8<-- [end:try_it]
