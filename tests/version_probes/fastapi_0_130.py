"""FastAPI 0.130: a route with a return type or response_model skips JSONResponse.

Before: its value went through jsonable_encoder and JSONResponse, so a route
typed `-> dict[str, float]` that returned NaN answered with a 500.
"""

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


def uses_json_response(path):
    rendered.clear()
    response = client.get(path)
    return response.status_code, bool(rendered)


nan_response = client.get("/nan")
verdict(
    (
        "typed route returning NaN: status and body",
        (nan_response.status_code, nan_response.text),
        (500, "Internal Server Error"),
        (200, '{"x":null}'),
    ),
    (
        "typed route goes through JSONResponse",
        uses_json_response("/typed"),
        (200, True),
        (200, False),
    ),
    (
        "response_model route goes through JSONResponse",
        uses_json_response("/model"),
        (200, True),
        (200, False),
    ),
    (
        "untyped route goes through JSONResponse",
        uses_json_response("/untyped"),
        (200, True),
        (200, True),
    ),
)
