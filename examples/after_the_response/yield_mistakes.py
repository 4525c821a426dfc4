"""Mistake: a yield dependency that swallows the route's error, and commits after the response."""

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
    except Exception:  # noqa: BLE001 - ruff flags it: the exception is gone
        note("rolled back")
    else:
        if LOCKED & set(changes):
            raise HTTPException(status_code=409, detail="Order is locked")
        note("committed")


Changes = Annotated[list[int], Depends(transaction)]


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
    from fastapi.exceptions import FastAPIError
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.post("/orders/1/pay").json(), LOG)
    #> {'order': 1, 'status': 'paid'} ['committed']
    try:
        client.post("/orders/9/pay")
    except FastAPIError as exc:
        print("TestClient re-raised:", str(exc)[:40], "...")
        #> TestClient re-raised: Response not awaited. There's a high cha ...
    try:
        client.post("/orders/2/pay")
    except RuntimeError as exc:
        print(exc)
        #> Caught handled exception, but response already started.

    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/orders/9/pay")  # the 404 was swallowed
    print(response.status_code, response.text)
    #> 500 Internal Server Error
    response = client.post("/orders/2/pay")  # the commit failed after this
    print(response.status_code, response.json())
    #> 200 {'order': 2, 'status': 'paid'}
    # --8<-- [end:try_it]
