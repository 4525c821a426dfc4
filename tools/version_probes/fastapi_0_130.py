"""FastAPI 0.130: a route with a return type or response_model skips JSONResponse.

Before: Pydantic turned its value into plain Python values, which then went
through JSONResponse, so a route typed `-> dict[str, float]` that returned NaN
answered with a 500. Neither before nor since does a typed route go through
jsonable_encoder; an untyped one goes through jsonable_encoder and
JSONResponse in both. Each route is watched for calls to JSONResponse.render
and to the jsonable_encoder that fastapi.routing uses.
"""

import fastapi.routing
from _verdict import verdict
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

rendered = []
render = JSONResponse.render


def counting_render(self, content):
    rendered.append(content)
    return render(self, content)


JSONResponse.render = counting_render

encoded = []
encode = fastapi.routing.jsonable_encoder


def counting_encoder(*args, **kwargs):
    encoded.append(args)
    return encode(*args, **kwargs)


fastapi.routing.jsonable_encoder = counting_encoder


class Item(BaseModel):
    name: str


app = FastAPI()


@app.get("/nan")
def nan() -> dict[str, float]:
    return {"x": float("nan")}


@app.get("/typed")
def typed() -> Item:
    return Item(name="pen")


@app.get("/model", response_model=Item)
def model():
    return {"name": "pen", "price": 1}


@app.get("/untyped")
def untyped():
    return {"name": "pen"}


client = TestClient(app, raise_server_exceptions=False)


def path_taken(path):
    """(status, went through JSONResponse, went through jsonable_encoder)."""
    rendered.clear()
    encoded.clear()
    response = client.get(path)
    return response.status_code, bool(rendered), bool(encoded)


nan_response = client.get("/nan")
verdict(
    (
        "typed route returning NaN: status and body",
        (nan_response.status_code, nan_response.text),
        (500, "Internal Server Error"),
        (200, '{"x":null}'),
    ),
    (
        "typed route: status, JSONResponse, jsonable_encoder",
        path_taken("/typed"),
        (200, True, False),
        (200, False, False),
    ),
    (
        "response_model route: status, JSONResponse, jsonable_encoder",
        path_taken("/model"),
        (200, True, False),
        (200, False, False),
    ),
    (
        "untyped route: status, JSONResponse, jsonable_encoder",
        path_taken("/untyped"),
        (200, True, True),
        (200, True, True),
    ),
)
