"""Answer every error as application/problem+json (RFC 9457), and document it so."""

# --8<-- [start:app]
import json
from http.client import responses as STATUS_PHRASES
from typing import Any, Literal

from fastapi import FastAPI, Header, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
REF = "#/components/schemas/"
MAX_ERRORS = 10  # validation errors listed in one answer
MAX_LOC_PARTS = 10  # parts kept of the loc of each
MAX_TEXT = 100  # characters kept of each name and message in them
# RFC 9110's phrases for these; Python's http.client has them from 3.13 on
TITLES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


class Problem(BaseModel):
    """RFC 9457 problem details; more members may follow (extension members)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class InvalidField(BaseModel):
    loc: list[str | int] = Field(max_length=MAX_LOC_PARTS)
    type: str
    msg: str


class ValidationProblem(Problem):
    type: Literal["https://shop.example/problems/invalid-request"] = (
        "https://shop.example/problems/invalid-request"
    )
    status: Literal[422] = 422
    errors: list[InvalidField] = Field(max_length=MAX_ERRORS)


class OutOfStockProblem(Problem):
    type: Literal["https://shop.example/problems/out-of-stock"] = (
        "https://shop.example/problems/out-of-stock"
    )
    status: Literal[409] = 409
    item_id: int


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem_response(
    problem: Problem, headers: dict[str, str] | None = None
) -> Response:
    # 204, 205 and 304 answers must not have a body (RFC 9110)
    if problem.status in (204, 205, 304):
        return Response(status_code=problem.status, headers=headers)
    return ProblemResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


async def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
    phrase = STATUS_PHRASES.get(exc.status_code, "Error")
    title = TITLES.get(exc.status_code, phrase)
    # HTTPException's detail may be any JSON value; a problem's detail is text
    detail = exc.detail if isinstance(exc.detail, str) else None
    problem = Problem(
        title=title,
        status=exc.status_code,
        # without a detail, HTTPException's is the phrase
        detail=None if detail in (title, phrase) else detail,
    )
    return problem_response(problem, dict(exc.headers or {}))


def short(value: str | int) -> str | int:
    return value[:MAX_TEXT] if isinstance(value, str) else value


async def validation_problem(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    problem = ValidationProblem(
        title="Your request is not valid",
        detail=f"{len(errors)} invalid value(s)",
        # no "input": it echoes what the client sent, of any size
        errors=[
            InvalidField(
                loc=[short(part) for part in error["loc"][:MAX_LOC_PARTS]],
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
        title="Out of stock",
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


def problem_names(model: type[Problem] = Problem) -> set[str]:
    """Problem and the names of its subclasses."""
    return {model.__name__}.union(*map(problem_names, model.__subclasses__()))


def recipe_schemas() -> dict[str, Any]:
    """The recipe's models, as FastAPI writes them in a schema."""
    probe = FastAPI()
    models = {400: {"model": Problem}, 422: {"model": ValidationProblem}}
    probe.get("/", responses=models)(lambda: None)
    return probe.openapi()["components"]["schemas"]


def problem_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the 4xx and 5xx answers of the schema as problems."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model_schema in recipe_schemas().items():
        # a model of yours with this name, not the recipe's
        if schemas.setdefault(name, model_schema) != model_schema:
            raise RuntimeError(
                f"Your OpenAPI schema has a model named {name}, a name that"
                " problem_openapi needs: rename your model."
            )
    problems = {REF + name for name in problem_names()}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status == "422":  # validation_problem sends every one
                    ref = {"$ref": REF + "ValidationProblem"}
                    answer["content"] = {PROBLEM_JSON: {"schema": ref}}
                elif status[0] in "45" and content.keys() <= {"application/json"}:
                    media = content.get("application/json", {})
                    # no model: a Problem; a model that is not one stays JSON
                    ref = media.setdefault("schema", {"$ref": REF + "Problem"})
                    if ref.get("$ref") in problems:
                        answer["content"] = {PROBLEM_JSON: media}
    # FastAPI's own 422 models, unless something else still uses them
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"{REF}{name}"' not in json.dumps(schema):
            schemas.pop(name, None)
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
    request: Request, response: Response, item_id: int = Path(ge=1, le=1000)
) -> dict[str, int]:
    if item_id not in STOCK:
        raise HTTPException(status_code=404, detail=f"There is no item {item_id}.")
    # If-None-Match: "*" or a list of ETags, any of them weak (W/"...")
    # on one line or several: read them all
    if_none_match = ",".join(request.headers.getlist("if-none-match"))
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    if ETAGS[item_id] in tags or "*" in tags:
        raise HTTPException(status_code=304, headers={"ETag": ETAGS[item_id]})
    response.headers["ETag"] = ETAGS[item_id]
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
        content_type = response.headers.get("content-type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != PROBLEM_JSON:
            return f"{response.status_code}, not a problem ({media_type or 'no body'})"
        problem = response.json()
        # every member may be missing: fall back on the status line
        status = problem.get("status", response.status_code)
        title = problem.get("title", response.reason_phrase)
        return f"{status} {title}: {problem.get('detail', '-')}"

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

    # a test of yours that calls app.openapi() fails on a clash of model names
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
