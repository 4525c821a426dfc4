"""The same JSON payload sent twelve ways, so the Performance page can time each way."""

# Runs on a server only: it needs orjson, which the browser runtime does not include (Pyodide builds orjson 3.11.8, not the pinned 3.13).

# --8<-- [start:app]
from typing import Literal

import orjson
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse, ORJSONResponse
from pydantic import BaseModel, TypeAdapter


class Item(BaseModel):
    id: int
    name: str
    price: float
    in_stock: bool
    tags: list[str]


class Catalog(BaseModel):
    items: list[Item]


def catalog(count: int) -> dict:
    """A catalog of `count` items, as plain dicts (about 80 bytes each as JSON)."""
    return {
        "items": [
            {
                "id": number,
                "name": f"Item {number:05d}",
                "price": number % 100 + 0.25,
                "in_stock": number % 3 != 0,
                "tags": ["red", "small"] if number % 2 else ["blue"],
            }
            for number in range(count)
        ]
    }


PAYLOADS = {"1kb": catalog(13), "1mb": catalog(12_200)}
# Validated once, at start-up: the models below need no validation per request.
MODELS = {size: Catalog.model_validate(data) for size, data in PAYLOADS.items()}
CATALOG = TypeAdapter(Catalog)
Size = Literal["1kb", "1mb"]

app = FastAPI()
# Every route sits on a router, so the app finds all twelve the same way.
plain = APIRouter()


@plain.get("/untyped/{size}")
async def untyped(size: Size):
    return PAYLOADS[size]


@plain.get("/typed/{size}")
async def typed(size: Size) -> Catalog:
    return PAYLOADS[size]


@plain.get("/typed-model/{size}")
async def typed_model(size: Size) -> Catalog:
    return MODELS[size]  # already a Catalog: nothing left to validate


@plain.get("/typed-sync/{size}")
def typed_sync(size: Size) -> Catalog:
    return PAYLOADS[size]


@plain.get("/response-model/{size}", response_model=Catalog)
async def with_response_model(size: Size):
    return PAYLOADS[size]


@plain.get("/json-response/{size}")
async def json_response(size: Size):
    return JSONResponse(PAYLOADS[size])


@plain.get("/orjson-response/{size}")
async def orjson_response(size: Size):
    return ORJSONResponse(PAYLOADS[size])  # deprecated: issues a warning each call


@plain.get("/orjson-bytes/{size}")
async def orjson_bytes(size: Size):
    return Response(orjson.dumps(PAYLOADS[size]), media_type="application/json")


@plain.get("/model-dump-json/{size}")
async def model_dump_json(size: Size):
    # Pydantic writes the JSON of a model it already holds: no validation.
    return Response(MODELS[size].model_dump_json(), media_type="application/json")


@plain.get("/type-adapter/{size}")
async def type_adapter(size: Size):
    # The same, through a TypeAdapter built once (any type, not only models).
    return Response(CATALOG.dump_json(MODELS[size]), media_type="application/json")


# default_response_class works on a router as it does on the app.
orjson_default = APIRouter(
    prefix="/orjson-default", default_response_class=ORJSONResponse
)


@orjson_default.get("/untyped/{size}")
async def orjson_default_untyped(size: Size):
    return PAYLOADS[size]


@orjson_default.get("/typed/{size}")
async def orjson_default_typed(size: Size) -> Catalog:
    return PAYLOADS[size]


app.include_router(plain)
app.include_router(orjson_default)
# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    import warnings

    from fastapi.testclient import TestClient

    client = TestClient(app)
    paths = [
        "/untyped",
        "/typed",
        "/typed-model",
        "/typed-sync",
        "/response-model",
        "/json-response",
        "/orjson-response",
        "/orjson-bytes",
        "/model-dump-json",
        "/type-adapter",
        "/orjson-default/untyped",
        "/orjson-default/typed",
    ]
    for size in ("1kb", "1mb"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ORJSONResponse's deprecation
            bodies = {client.get(f"{path}/{size}").content for path in paths}
        body = bodies.pop()
        print(size, "- all twelve the same:", not bodies, "-", len(body), "bytes")
        #> 1kb - all twelve the same: True - 1026 bytes
        #> 1mb - all twelve the same: True - 998248 bytes
    # --8<-- [end:try_it]
