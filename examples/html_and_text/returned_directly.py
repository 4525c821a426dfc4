"""Returning an HTMLResponse works, but only response_class fixes the OpenAPI document."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/undeclared")
def undeclared():
    return HTMLResponse("<h1>Hello</h1>")


@app.get("/declared", response_class=HTMLResponse)
def declared():
    return HTMLResponse("<h1>Moved on</h1>", status_code=410)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/undeclared", "/declared"):
        response = client.get(path)
        print(path, response.status_code, response.headers["content-type"])
        #> /undeclared 200 text/html; charset=utf-8
        #> /declared 410 text/html; charset=utf-8

    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/undeclared", "/declared"):
        print(path, paths[path]["get"]["responses"]["200"]["content"])
        #> /undeclared {'application/json': {'schema': {}}}
        #> /declared {'text/html': {'schema': {'type': 'string'}}}
    # --8<-- [end:try_it]
