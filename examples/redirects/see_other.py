"""Answer a form POST with 303 See Other: the browser then loads the result by GET."""

# --8<-- [start:app]
from itertools import count

from fastapi import FastAPI, Path
from fastapi.responses import HTMLResponse, RedirectResponse

app = FastAPI()
order_numbers = count(1)

FORM = """<!doctype html><html lang="en"><title>Shop</title>
<form method="post" action="/orders"><button>Place order</button></form></html>"""


@app.get("/", response_class=HTMLResponse)
def shop() -> str:
    return FORM


@app.post("/orders")
def place_order() -> RedirectResponse:
    number = next(order_numbers)
    return RedirectResponse(f"/orders/{number}", status_code=303)


@app.get("/orders/{number}", response_class=HTMLResponse)
def order(number: int = Path(ge=1, le=999_999_999)) -> str:
    return f'<!doctype html><html lang="en"><title>Order {number}</title></html>'


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/orders", follow_redirects=False)
    print(response.status_code, response.headers["location"])
    #> 303 /orders/1
    response = client.post("/orders")  # follow the redirect, as a browser does
    print(response.history[0].status_code, response.request.method, response.url)
    #> 303 GET http://testserver/orders/2
    print(response.status_code, response.text)
    #> 200 <!doctype html><html lang="en"><title>Order 2</title></html>
    # --8<-- [end:try_it]
