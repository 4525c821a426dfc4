"""Jinja2Templates renders .html templates and escapes what the user sent."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()

BOOKS = {1: "Dune", 2: "Emma"}


@app.get("/hello", response_class=HTMLResponse)
def hello(request: Request, name: str = Query("world", max_length=100)):
    return templates.TemplateResponse(
        request,
        "hello.html",
        {"name": name},
        headers={"cache-control": "no-store"},
    )


@app.get("/books/{book_id}", response_class=HTMLResponse, name="book")
def book(request: Request, book_id: int):
    title = BOOKS.get(book_id)
    if title is None:
        return templates.TemplateResponse(
            request, "no_book.html", {"book_id": book_id}, status_code=404
        )
    return templates.TemplateResponse(request, "book.html", {"title": title})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/hello", params={"name": "<script>alert(1)</script>"})
    print(response.status_code, response.headers["content-type"])
    #> 200 text/html; charset=utf-8
    print(response.headers["cache-control"])
    #> no-store
    print(response.text.splitlines()[4])
    #> <p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>
    print(response.text.splitlines()[5])
    #> <p><a href="http://testserver/books/1">Read the first book</a></p>

    response = client.get("/books/9")
    print(response.status_code, response.text.splitlines()[4])
    #> 404 <p>There is no book 9.</p>

    documented = app.openapi()["paths"]["/hello"]["get"]["responses"]["200"]
    print(documented["content"])
    #> {'text/html': {'schema': {'type': 'string'}}}

    response = client.get("/hello", headers={"host": "evil.example"})
    print(response.text.splitlines()[5])
    #> <p><a href="http://evil.example/books/1">Read the first book</a></p>
    # --8<-- [end:try_it]
