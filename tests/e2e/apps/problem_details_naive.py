"""Test-only app: a problem handler that forgets statuses without a body.

It answers every HTTPException with a JSON body, even a 304 or a 204, which
TestClient does not mind; tests/e2e/test_problem_details_real.py shows what
uvicorn does with it, next to the recipe's answer.
"""

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()


@app.exception_handler(StarletteHTTPException)
async def always_a_body(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": "Not Modified", "status": exc.status_code},
        status_code=exc.status_code,
        headers=exc.headers,
        media_type="application/problem+json",
    )


@app.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, int]:
    raise HTTPException(status_code=304, headers={"ETag": '"v7"'})
