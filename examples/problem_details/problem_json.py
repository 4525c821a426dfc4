"""Answer every error as application/problem+json (RFC 9457), and document it so."""

# --8<-- [start:app]
from http.client import responses as STATUS_PHRASES
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = "https://shop.example/problems/"
MAX_ERRORS = 10  # validation errors listed in one answer, parts kept of a loc
MAX_TEXT = 100  # characters kept of each name and message in them


class Problem(BaseModel):
    """RFC 9457 problem details; more members may follow (extension members)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class InvalidField(BaseModel):
    loc: list[str | int]
    type: str
    msg: str


class ValidationProblem(Problem):
    errors: list[InvalidField] = Field(max_length=MAX_ERRORS)


class OutOfStockProblem(Problem):
    item_id: int


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem_response(
    problem: Problem, headers: dict[str, str] | None = None
) -> Response:
    # 1xx, 204 and 304 answers must not have a body (RFC 9110)
    if problem.status < 200 or problem.status in (204, 304):
        return Response(status_code=problem.status, headers=headers)
    return ProblemResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


async def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
    title = STATUS_PHRASES.get(exc.status_code, "Error")
    # HTTPException's detail may be any JSON value; a problem's detail is text
    detail = exc.detail if isinstance(exc.detail, str) else None
    problem = Problem(
        title=title,
        status=exc.status_code,
        detail=None if detail == title else detail,
    )
    return problem_response(problem, dict(exc.headers or {}))


def short(value: str | int) -> str | int:
    return value[:MAX_TEXT] if isinstance(value, str) else value


async def validation_problem(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    problem = ValidationProblem(
        type=PROBLEM_TYPES + "invalid-request",
        title="Your request is not valid",
        status=422,
        detail=f"{len(errors)} invalid value(s)",
        # no "input": it echoes what the client sent, of any size
        errors=[
            InvalidField(
                loc=[short(part) for part in error["loc"][:MAX_ERRORS]],
                type=short(error["type"]),
                msg=short(error["msg"]),
            )
            for error in errors[:MAX_ERRORS]
        ],
    )
    return problem_response(problem)


class OutOfStock(Exception):
    def __init__(self, item_id: int) -> None:
        self.item_id = item_id


async def out_of_stock_problem(request: Request, exc: OutOfStock) -> Response:
    problem = OutOfStockProblem(
        type=PROBLEM_TYPES + "out-of-stock",
        title="Out of stock",
        status=409,
        detail="This item cannot be reserved now.",
        item_id=exc.item_id,
    )
    return problem_response(problem)


async def unexpected_problem(request: Request, exc: Exception) -> Response:
    # nothing from the exception: the server logs it after this answer
    problem = Problem(
        title="Internal Server Error",
        status=500,
        detail="Something went wrong on our side.",
    )
    return problem_response(problem)


def problem_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Document every 4xx and 5xx answer of the schema as a problem."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, InvalidField, ValidationProblem):
        model_schema = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        schemas.update(model_schema.pop("$defs", {}))
        schemas[model.__name__] = model_schema
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                if status[0] not in "45":
                    continue
                content = answer.setdefault("content", {})
                media = content.pop("application/json", content.get(PROBLEM_JSON, {}))
                ref = media.get("schema", {}).get("$ref", "")
                if ref in ("", "#/components/schemas/HTTPValidationError"):
                    name = "ValidationProblem" if status == "422" else "Problem"
                    media = {"schema": {"$ref": f"#/components/schemas/{name}"}}
                content[PROBLEM_JSON] = media
    return schema


def add_problem_details(app: FastAPI) -> None:
    """Answer every error of `app` as a problem, and say so in its OpenAPI schema."""
    app.add_exception_handler(StarletteHTTPException, http_problem)
    app.add_exception_handler(RequestValidationError, validation_problem)
    app.add_exception_handler(OutOfStock, out_of_stock_problem)
    app.add_exception_handler(Exception, unexpected_problem)
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        return problem_openapi(default_openapi())

    app.openapi = openapi  # type: ignore[method-assign]


app = FastAPI()
add_problem_details(app)

STOCK = {1: 3, 2: 0}
ETAGS = {1: '"v7"', 2: '"v3"'}


class Reservation(BaseModel):
    quantity: int = Field(ge=1, le=10)


@app.get("/items/{item_id}", responses={404: {"description": "No such item"}})
def read_item(
    item_id: int = Path(ge=1, le=1000),
    if_none_match: str | None = Header(None, max_length=100),
) -> dict[str, int]:
    if item_id not in STOCK:
        raise HTTPException(status_code=404, detail=f"There is no item {item_id}.")
    if if_none_match == ETAGS[item_id]:
        raise HTTPException(status_code=304, headers={"ETag": ETAGS[item_id]})
    return {"item_id": item_id, "in_stock": STOCK[item_id]}


@app.post(
    "/items/{item_id}/reserve",
    responses={
        404: {"description": "No such item"},
        409: {"description": "Out of stock", "model": OutOfStockProblem},
    },
)
def reserve(
    reservation: Reservation,
    item_id: int = Path(ge=1, le=1000),
) -> dict[str, int]:
    if item_id not in STOCK:
        raise HTTPException(status_code=404, detail=f"There is no item {item_id}.")
    if STOCK[item_id] < reservation.quantity:
        raise OutOfStock(item_id)
    return {"item_id": item_id, "reserved": reservation.quantity}


@app.get("/account", responses={401: {"description": "Not signed in"}})
def account(authorization: str | None = Header(None, max_length=200)) -> dict[str, str]:
    if authorization != "Bearer demo-token":
        raise HTTPException(
            status_code=401,
            detail="Send a valid bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return {"user": "ada"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import httpx2
    from fastapi.testclient import TestClient

    @app.get("/bug")  # a route with a bug, added here only to see the 500
    def bug() -> None:
        raise RuntimeError("secret: the database password is hunter2")

    def describe(response: httpx2.Response) -> str:
        """What a client of any problem-details API can print for an error."""
        media_type = response.headers.get("content-type", "").split(";")[0]
        if media_type != PROBLEM_JSON:
            return f"{response.status_code}, not a problem ({media_type or 'no body'})"
        problem = response.json()
        return f"{problem['status']} {problem['title']}: {problem.get('detail', '-')}"

    # TestClient is an httpx2.Client: the same calls work on a served app
    # through httpx2.Client(base_url="http://127.0.0.1:8000")
    client = TestClient(app, raise_server_exceptions=False)
    print(describe(client.get("/items/9")))
    #> 404 Not Found: There is no item 9.
    print(describe(client.get("/nowhere")))
    #> 404 Not Found: -
    print(describe(client.delete("/items/1")))
    #> 405 Method Not Allowed: -
    print(describe(client.get("/account")))
    #> 401 Unauthorized: Send a valid bearer token.
    print(describe(client.post("/items/2/reserve", json={"quantity": 1})))
    #> 409 Out of stock: This item cannot be reserved now.
    print(describe(client.post("/items/1/reserve", json={"quantity": 0})))
    #> 422 Your request is not valid: 1 invalid value(s)
    print(describe(client.get("/bug")))
    #> 500 Internal Server Error: Something went wrong on our side.
    print(describe(client.get("/items/1", headers={"If-None-Match": '"v7"'})))
    #> 304, not a problem (no body)

    print(client.delete("/items/1").headers["allow"])
    #> GET
    print(client.get("/account").headers["www-authenticate"])
    #> Bearer
    response = client.post("/items/1/reserve", json={"quantity": 0})
    print(response.json()["errors"])
    """
    [
        {
            "loc": ["body", "quantity"],
            "type": "greater_than_equal",
            "msg": "Input should be greater than or equal to 1",
        }
    ]
    """

    documented = app.openapi()["paths"]["/items/{item_id}/reserve"]["post"]
    print({status: list(r["content"]) for status, r in documented["responses"].items()})
    """
    {
        "200": ["application/json"],
        "404": ["application/problem+json"],
        "409": ["application/problem+json"],
        "422": ["application/problem+json"],
    }
    """
    # --8<-- [end:try_it]
