"""Jinja2Templates(env=...) with StrictUndefined, and autoescaping kept on."""

# --8<-- [start:app]
from pathlib import Path

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(),  # without it, nothing is escaped
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=env)

app = FastAPI()


@app.get("/hello", response_class=HTMLResponse)
def hello(request: Request, name: str = Query("world", max_length=100)):
    return templates.TemplateResponse(request, "hello_short.html", {"name": name})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/hello", params={"name": "<script>alert(1)</script>"})
    print(response.status_code, response.text)
    #> 200 <p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>

    try:
        templates.get_template("book.html").render()  # no title in the context
    except jinja2.UndefinedError as error:
        print(repr(error))
        #> UndefinedError("'title' is undefined")
    # --8<-- [end:try_it]
