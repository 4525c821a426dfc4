"""A handler for RequestValidationError that reshapes the 422 body."""

# --8<-- [start:app]
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


class Order(BaseModel):
    item: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=100)


@app.exception_handler(RequestValidationError)
async def invalid_request(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    problems = [
        {"field": ".".join(str(part) for part in error["loc"]), "problem": error["msg"]}
        for error in exc.errors()[:10]
    ]
    # exc.body: the request body as parsed (a dict here), or None without one
    received = exc.body if isinstance(exc.body, dict) else {}
    return JSONResponse(
        status_code=422,
        content={
            "error": "invalid_request",
            "problems": problems,
            "fields_received": [str(name)[:40] for name in list(received)[:10]],
        },
    )


@app.post("/orders")
def create_order(order: Order) -> Order:
    return order


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/orders", json={"item": "pen", "quantity": 0})
    print(response.status_code, response.json())
    """
    422
    {
        "error": "invalid_request",
        "problems": [
            {
                "field": "body.quantity",
                "problem": "Input should be greater than or equal to 1",
            }
        ],
        "fields_received": ["item", "quantity"],
    }
    """

    response = client.post("/orders", json={"item": "pen"})
    print(response.status_code, response.json())
    """
    422
    {
        "error": "invalid_request",
        "problems": [{"field": "body.quantity", "problem": "Field required"}],
        "fields_received": ["item"],
    }
    """

    documented = app.openapi()["paths"]["/orders"]["post"]["responses"]["422"]
    print(documented["content"]["application/json"]["schema"])
    #> {'$ref': '#/components/schemas/HTTPValidationError'}
    # --8<-- [end:try_it]
