"""Mistake: exception text reaches clients, through debug=True and str(exc)."""

# Runs on a server only: Python 3.14, which the browser runs, words the ZeroDivisionError of its third line differently ("division by zero").

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI(debug=True)

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


@app.exception_handler(DatabaseError)
async def database_error(request: Request, exc: DatabaseError) -> JSONResponse:
    return JSONResponse(status_code=503, content={"detail": str(exc)})


@app.get("/orders/{order_id}/average")
def average_price(order_id: int) -> dict[str, int]:
    order = db.order(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="No order with this id")
    return {"average": order["total"] // order["items"]}  # a bug for order 2


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    print(client.get("/orders/1/average").json())
    #> {'average': 1000}

    # debug=True: a bug's 500 is the traceback, as text for curl's Accept: */*
    response = client.get("/orders/2/average", headers={"accept": "*/*"})
    print(response.status_code, response.headers["content-type"])
    #> 500 text/plain; charset=utf-8
    print(response.text.splitlines()[0], "...", response.text.splitlines()[-1])
    """
    Traceback (most recent call last):
    ...
    ZeroDivisionError: integer division or modulo by zero
    """
    # ...and as an HTML page for a browser
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/orders/2/average", headers={"accept": browser})
    print(response.status_code, response.headers["content-type"])
    #> 500 text/html; charset=utf-8

    # str(exc) in a handler: the database's message goes to the client
    db.online = False
    response = client.get("/orders/1/average")
    print(response.status_code, response.json()["detail"])
    #> 503 could not connect to postgresql://shop@db.internal/orders
    # --8<-- [end:try_it]
