"""Return a JSONResponse to pick the status code, headers and body of an error."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()

BOOKS = {1: {"id": 1, "title": "Dune"}, 2: {"id": 2, "title": "Emma"}}


@app.get("/books/{book_id}")
def read_book(book_id: int):
    book = BOOKS.get(book_id)
    if book is None:
        return JSONResponse(
            content={"error": "book_not_found", "book_id": book_id},
            status_code=404,
            headers={"X-Error-Code": "BOOK_NOT_FOUND"},
        )
    return book


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    missing = client.get("/books/0")
    print(missing.status_code, missing.json())
    #> 404 {'error': 'book_not_found', 'book_id': 0}
    print([name.decode() for name, _ in missing.headers.raw])
    #> ['x-error-code', 'content-length', 'content-type']

    found = client.get("/books/1")
    print(found.status_code, found.json())
    #> 200 {'id': 1, 'title': 'Dune'}
    print([name.decode() for name, _ in found.headers.raw])
    #> ['content-length', 'content-type']
    # --8<-- [end:try_it]
