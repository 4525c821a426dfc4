"""An HTML page and a robots.txt, each declared with response_class."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse

app = FastAPI()


@app.get("/welcome", response_class=HTMLResponse)
def welcome():
    return "<h1>Welcome</h1><p>Nothing to see yet.</p>"


@app.get("/robots.txt", response_class=PlainTextResponse)
def crawler_rules():
    return "User-agent: *\nDisallow: /admin\n"


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    page = client.get("/welcome")
    print(page.status_code, page.headers["content-type"])
    #> 200 text/html; charset=utf-8
    print(page.text)
    #> <h1>Welcome</h1><p>Nothing to see yet.</p>

    robots_txt = client.get("/robots.txt")
    print(robots_txt.headers["content-type"])
    #> text/plain; charset=utf-8
    print(repr(robots_txt.text))
    #> 'User-agent: *\nDisallow: /admin\n'

    paths = client.get("/openapi.json").json()["paths"]
    print(paths["/welcome"]["get"]["responses"]["200"]["content"])
    #> {'text/html': {'schema': {'type': 'string'}}}
    print(paths["/robots.txt"]["get"]["responses"]["200"]["content"])
    #> {'text/plain': {'schema': {'type': 'string'}}}
    # --8<-- [end:try_it]
