"""Fix: clients get a generic body with an error id; the details go to the log."""

# --8<-- [start:app]
import logging
import uuid

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()  # debug stays off

logger = logging.getLogger("shop")

ORDERS = {1: {"total": 3000, "items": 3}, 2: {"total": 0, "items": 0}}


class DatabaseError(Exception):
    """What a database driver raises; its message names the server."""


class Database:
    url = "postgresql://shop@db.internal/orders"
    online = True

    def order(self, order_id: int) -> dict[str, int] | None:
        if not self.online:
            raise DatabaseError(f"could not connect to {self.url}")
        return ORDERS.get(order_id)


db = Database()


class Error(BaseModel):
    """The one error shape of this app; only a server failure has an id."""

    detail: str
    error_id: str | None = None


@app.exception_handler(DatabaseError)
async def database_error(request: Request, exc: DatabaseError) -> JSONResponse:
    error_id = uuid.uuid4().hex
    # the route's template, not the path the client typed
    route = getattr(request.scope.get("route"), "path", "(no route)")
    # handled here, so no server log sees it: log the traceback with the id
    logger.error("error_id=%s %s %s", error_id, request.method, route, exc_info=exc)
    return JSONResponse(
        status_code=503,
        content={"detail": "Database unavailable", "error_id": error_id},
    )


@app.get(
    "/orders/{order_id}/average",
    responses={
        404: {"model": Error, "description": "No order with this id"},
        503: {"model": Error, "description": "Database unavailable; try later"},
    },
)
def average_price(order_id: int) -> dict[str, int | None]:
    order = db.order(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="No order with this id")
    if order["items"] == 0:
        return {"average": None}
    return {"average": order["total"] // order["items"]}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    print(client.get("/orders/1/average").json())
    #> {'average': 1000}
    print(client.get("/orders/2/average").json())
    #> {'average': None}

    db.online = False
    response = client.get("/orders/1/average")
    body = response.json()
    print(response.status_code, body["detail"], len(body["error_id"]))
    #> 503 Database unavailable 32
    print(db.url in response.text)
    #> False
    # --8<-- [end:try_it]
