"""Tasks that run on an error answer too: return the error response, pass the tasks as background."""

# --8<-- [start:app]
from fastapi import BackgroundTasks, FastAPI, Path
from fastapi.responses import JSONResponse

app = FastAPI()

SHIPPED = {1}  # orders that can no longer be cancelled
AUDIT: list[str] = []  # what the tasks wrote


def audit(line: str) -> None:
    AUDIT.append(line)
    del AUDIT[:-10]


@app.post("/orders/{order_id}/cancel", response_model=None)
def cancel(
    order_id: int = Path(ge=1, le=1000), *, tasks: BackgroundTasks
) -> dict[str, object] | JSONResponse:
    tasks.add_task(audit, f"cancel requested for {order_id}")
    if order_id in SHIPPED:
        return JSONResponse({"detail": "Order already shipped"}, status_code=409)
    return {"order": order_id, "status": "cancelled"}


@app.get("/export")
def export(tasks: BackgroundTasks) -> JSONResponse:
    tasks.add_task(audit, "export requested")
    tasks.add_task(audit, "export file removed")
    return JSONResponse({"orders": 3}, background=tasks)


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
    print(client.get("/audit").json())
    #> ['cancel requested for 1', 'export requested', 'export file removed']
    # --8<-- [end:try_it]
