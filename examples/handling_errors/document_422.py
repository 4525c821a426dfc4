"""Tell OpenAPI about your own 422 body with responses=, route by route."""

# --8<-- [start:app]
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


class Order(BaseModel):
    item: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=100)


class Problem(BaseModel):
    field: str
    problem: str


class InvalidRequest(BaseModel):
    error: str
    problems: list[Problem]


@app.exception_handler(RequestValidationError)
async def invalid_request(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    problems = [
        Problem(
            field=".".join(str(part) for part in error["loc"]), problem=error["msg"]
        )
        for error in exc.errors()[:10]
    ]
    body = InvalidRequest(error="invalid_request", problems=problems)
    return JSONResponse(status_code=422, content=body.model_dump())


@app.post(
    "/orders",
    responses={422: {"model": InvalidRequest, "description": "Invalid request"}},
)
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
    }
    """

    schema = app.openapi()
    documented = schema["paths"]["/orders"]["post"]["responses"]["422"]
    print(documented["description"], documented["content"]["application/json"])
    #> Invalid request {'schema': {'$ref': '#/components/schemas/InvalidRequest'}}
    print(sorted(schema["components"]["schemas"]))
    #> ['InvalidRequest', 'Order', 'Problem']
    # --8<-- [end:try_it]
