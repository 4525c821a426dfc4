"""A background task runs after the response: the client does not wait for it."""

# --8<-- [start:app]
import anyio
from fastapi import BackgroundTasks, FastAPI, Path

app = FastAPI()

RECEIPT_SECONDS = 0.05  # stands in for a slow mail server
RECEIPTS: list[int] = []  # the orders whose receipt went out


async def send_receipt(order_id: int) -> None:
    await anyio.sleep(RECEIPT_SECONDS)
    RECEIPTS.append(order_id)
    del RECEIPTS[:-10]  # keep the last ten


@app.post("/orders/{order_id}")
def place_order(
    order_id: int = Path(ge=1, le=1000), *, tasks: BackgroundTasks
) -> dict[str, object]:
    tasks.add_task(send_receipt, order_id)
    return {"order": order_id, "status": "received"}


@app.get("/receipts")
def receipts() -> list[int]:
    return RECEIPTS


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/orders/7")
    print(response.status_code, response.json())
    #> 200 {'order': 7, 'status': 'received'}
    print(client.get("/receipts").json())  # TestClient waited for the task
    #> [7]
    # --8<-- [end:try_it]
