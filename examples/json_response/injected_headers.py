"""Headers set on an injected Response are lost when you return your own response."""

# --8<-- [start:app]
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

app = FastAPI()


@app.get("/dict")
def as_dict(response: Response):
    response.headers["X-Request-Cost"] = "3"
    return {"ok": True}


@app.get("/dropped")
def dropped(response: Response):
    response.headers["X-Request-Cost"] = "3"
    return JSONResponse({"ok": True})


@app.get("/fixed")
def fixed():
    return JSONResponse({"ok": True}, headers={"X-Request-Cost": "3"})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/dict", "/dropped", "/fixed"):
        response = client.get(path)
        print(path, response.headers.get("x-request-cost"))
        #> /dict 3
        #> /dropped None
        #> /fixed 3
    # --8<-- [end:try_it]
