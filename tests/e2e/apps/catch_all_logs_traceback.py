"""Test-only app: the route of examples/common_mistakes/catch_all_lets_it_be_500.py,
bug put back, behind a handler for Exception that logs the traceback itself
(exc_info), to show that the traceback then appears twice in the server's log.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from examples.common_mistakes.catch_all_lets_it_be_500 import (
    TAX_PERCENT,
    price_with_tax,
)

TAX_PERCENT.pop("voucher", None)

app = FastAPI()
logger = logging.getLogger("shop")


@app.exception_handler(Exception)
async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("bug", exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "Internal error"})


app.get("/prices/{item}")(price_with_tax)
