"""Raise HTTPException to stop a route and answer with an error status."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException

app = FastAPI()

BOOKS = {1: {"id": 1, "title": "Dune"}, 2: {"id": 2, "title": "Emma"}}


@app.get("/books/{book_id}")
def read_book(book_id: int) -> dict[str, int | str]:
    book = BOOKS.get(book_id)
    if book is None:
        raise HTTPException(status_code=404, detail="No book with this id")
    return book


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    missing = client.get("/books/0")
    print(missing.status_code, missing.json())
    #> 404 {'detail': 'No book with this id'}
    print(missing.headers)
    #> Headers({'content-length': '33', 'content-type': 'application/json'})

    found = client.get("/books/1")
    print(found.status_code, found.json())
    #> 200 {'id': 1, 'title': 'Dune'}
    # --8<-- [end:try_it]
