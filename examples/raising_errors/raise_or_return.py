"""Raise an error from any depth and your handlers see it; a returned response skips them."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()

BOOKS = {1: "Dune", 2: "Emma"}


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": exc.status_code, "message": exc.detail}},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def find_book(book_id: int) -> str:
    if book_id not in BOOKS:
        raise HTTPException(status_code=404, detail="No book with this id")
    return BOOKS[book_id]


@app.get("/books/{book_id}")
def read_book(title: Annotated[str, Depends(find_book)]) -> dict[str, str]:
    return {"title": title}


@app.get("/old/books/{book_id}", response_model=None)
def read_book_old(book_id: int) -> dict[str, str] | JSONResponse:
    if book_id not in BOOKS:
        return JSONResponse({"detail": "No book with this id"}, status_code=404)
    return {"title": BOOKS[book_id]}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    raised = client.get("/books/7")
    print(raised.status_code, raised.json())
    #> 404 {'error': {'status': 404, 'message': 'No book with this id'}}

    returned = client.get("/old/books/7")
    print(returned.status_code, returned.json())
    #> 404 {'detail': 'No book with this id'}

    found = client.get("/books/1")
    print(found.status_code, found.json())
    #> 200 {'title': 'Dune'}
    # --8<-- [end:try_it]
