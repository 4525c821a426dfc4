"""Test-only app: JSONResponse with a content-length that doesn't match its body.

docs/json_response.md says not to pass content-length yourself; a page example
that sends a broken response would break on purpose on every request, so the
real-server test serves this instead. The body is {"a":1,"b":2}, 13 bytes.
"""

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
BODY = {"a": 1, "b": 2}


@app.get("/too-short")
def too_short():
    return JSONResponse(BODY, headers={"Content-Length": "5"})


@app.get("/too-long")
def too_long():
    return JSONResponse(BODY, headers={"Content-Length": "100"})


@app.get("/right")
def right():
    return JSONResponse(BODY)
