"""Mistake: a background task raises; the client already has its 200, later tasks never run."""

# --8<-- [start:app]
from fastapi import BackgroundTasks, FastAPI, Path

app = FastAPI()

SENT: list[str] = []  # what the tasks got done


async def notify_warehouse(order_id: int) -> None:
    raise ConnectionError("warehouse unreachable")  # the warehouse is down today


async def send_receipt(order_id: int) -> None:
    SENT.append(f"receipt {order_id}")
    del SENT[:-10]


@app.post("/orders/{order_id}")
def place_order(
    order_id: int = Path(ge=1, le=1000), *, tasks: BackgroundTasks
) -> dict[str, object]:
    tasks.add_task(notify_warehouse, order_id)
    tasks.add_task(send_receipt, order_id)
    return {"order": order_id, "status": "received"}


@app.get("/sent")
def sent() -> list[str]:
    return SENT


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    try:
        client.post("/orders/7")
    except ConnectionError as exc:
        print("TestClient re-raised:", repr(exc))
        #> TestClient re-raised: ConnectionError('warehouse unreachable')

    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/orders/8")
    print(response.status_code, response.json())
    #> 200 {'order': 8, 'status': 'received'}
    print(client.get("/sent").json())  # no receipt went out
    #> []
    # --8<-- [end:try_it]
