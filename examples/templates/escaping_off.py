"""Mistake: a .txt template, |safe and Markup each send the user's HTML as it is."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()


@app.get("/plain", response_class=HTMLResponse)
def plain(request: Request, name: str = Query("world", max_length=100)):
    # a .txt template: autoescaping is off
    return templates.TemplateResponse(request, "hello.txt", {"name": name})


@app.get("/safe-filter", response_class=HTMLResponse)
def safe_filter(request: Request, name: str = Query("world", max_length=100)):
    # the template says {{ name|safe }}
    return templates.TemplateResponse(request, "hello_safe.html", {"name": name})


@app.get("/markup", response_class=HTMLResponse)
def markup(request: Request, name: str = Query("world", max_length=100)):
    # Markup() tells Jinja the string is already safe HTML
    return templates.TemplateResponse(
        request, "hello_short.html", {"name": Markup(name)}
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    attack = {"name": "<script>alert(1)</script>"}
    print(client.get("/plain", params=attack).text.splitlines()[0])
    #> <p>Hello, <script>alert(1)</script>!</p>
    print(client.get("/safe-filter", params=attack).text.splitlines()[0])
    #> <p>Hello, <script>alert(1)</script>!</p>
    print(client.get("/markup", params=attack).text.splitlines()[0])
    #> <p>Hello, <script>alert(1)</script>!</p>
    # --8<-- [end:try_it]
