"""Mistake: tasks added before an HTTPException, or next to a response's own background, never run."""

# --8<-- [start:app]
from fastapi import BackgroundTasks, FastAPI, HTTPException, Path
from fastapi.responses import JSONResponse
from starlette.background import BackgroundTask

app = FastAPI()

SHIPPED = {1}  # orders that can no longer be cancelled
AUDIT: list[str] = []  # what the tasks wrote


def audit(line: str) -> None:
    AUDIT.append(line)
    del AUDIT[:-10]


@app.post("/orders/{order_id}/cancel")
def cancel(
    order_id: int = Path(ge=1, le=1000), *, tasks: BackgroundTasks
) -> dict[str, object]:
    tasks.add_task(audit, f"cancel requested for {order_id}")
    if order_id in SHIPPED:
        raise HTTPException(status_code=409, detail="Order already shipped")
    return {"order": order_id, "status": "cancelled"}


@app.get("/export")
def export(tasks: BackgroundTasks) -> JSONResponse:
    tasks.add_task(audit, "export requested")
    return JSONResponse(
        {"orders": 3}, background=BackgroundTask(audit, "export file removed")
    )


@app.get("/audit")
def audit_log() -> list[str]:
    return AUDIT


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/orders/1/cancel")
    print(response.status_code, response.json())
    #> 409 {'detail': 'Order already shipped'}
    response = client.get("/export")
    print(response.status_code, response.json())
    #> 200 {'orders': 3}
    print(client.get("/audit").json())  # "cancel requested", "export requested": lost
    #> ['export file removed']
    # --8<-- [end:try_it]
