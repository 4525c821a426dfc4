"""Mistake: JSONResponse refuses NaN and infinity; a typed route writes null."""

# --8<-- [start:app]
import math

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class Reading(BaseModel):
    sensor: str
    value: float


@app.get("/raw")
def raw():
    return JSONResponse(jsonable_encoder({"sensor": "t1", "value": math.nan}))


@app.get("/typed")
def typed() -> Reading:
    return Reading(sensor="t1", value=math.nan)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    try:
        TestClient(app).get("/raw")
    except ValueError as exc:
        # Python 3.12 and later add ": nan" to this message.
        print(str(exc).removesuffix(": nan"))
        #> Out of range float values are not JSON compliant

    client = TestClient(app)
    print(client.get("/typed").text)
    #> {"sensor":"t1","value":null}
    # --8<-- [end:try_it]
