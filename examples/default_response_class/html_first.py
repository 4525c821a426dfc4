"""An HTML-first app: HTMLResponse by default, JSONResponse where a route asks for it."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

app = FastAPI(default_response_class=HTMLResponse)


@app.get("/")
def home():
    return "<h1>Shop</h1>"


@app.get("/about")
def about():
    return "<p>Open 9 to 5.</p>"


@app.get("/api/status", response_class=JSONResponse)
def status():
    return {"open": True}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/", "/about", "/api/status"):
        response = client.get(path)
        documented = list(paths[path]["get"]["responses"]["200"]["content"])
        print(path, response.headers["content-type"], response.text, documented)
        #> / text/html; charset=utf-8 <h1>Shop</h1> ['text/html']
        #> /about text/html; charset=utf-8 <p>Open 9 to 5.</p> ['text/html']
        #> /api/status application/json {"open":true} ['application/json']
    # --8<-- [end:try_it]
