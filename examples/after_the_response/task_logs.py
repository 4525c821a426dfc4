"""A background task that catches and logs its own errors, so the next task still runs."""

# --8<-- [start:app]
import logging

from fastapi import BackgroundTasks, FastAPI, Path

app = FastAPI()
logger = logging.getLogger("shop.tasks")

SENT: list[str] = []  # what the tasks got done


async def call_warehouse(order_id: int) -> None:
    raise ConnectionError("warehouse unreachable")  # the warehouse is down today


async def notify_warehouse(order_id: int) -> None:
    try:
        await call_warehouse(order_id)
    except Exception:
        logger.exception("Could not notify the warehouse of order %s", order_id)
        return
    SENT.append(f"warehouse {order_id}")
    del SENT[:-10]


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

    client = TestClient(app)  # raises any exception a task lets through
    response = client.post("/orders/7")  # stderr shows the log line and traceback
    print(response.status_code, response.json())
    #> 200 {'order': 7, 'status': 'received'}
    print(client.get("/sent").json())  # the receipt went out
    #> ['receipt 7']
    # --8<-- [end:try_it]
