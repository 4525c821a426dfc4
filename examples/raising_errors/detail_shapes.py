"""The detail of an HTTPException may be any JSON value: a string, a dict, a list."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

app = FastAPI()

BOOKS = {1: "Dune", 2: "Emma"}


@app.get("/books/{book_id}")
def read_book(book_id: int) -> dict[str, int | str]:
    if book_id not in BOOKS:
        raise HTTPException(
            status_code=404,
            detail={"code": "book_not_found", "book_id": book_id},
        )
    return {"id": book_id, "title": BOOKS[book_id]}


@app.post("/loans")
def lend(
    book_ids: Annotated[list[int], Query(min_length=1, max_length=10)],
) -> dict[str, list[str]]:
    problems = [
        {"book_id": book_id, "code": "book_not_found"}
        for book_id in book_ids
        if book_id not in BOOKS
    ]
    if problems:
        raise HTTPException(status_code=400, detail=problems)
    return {"lent": [BOOKS[book_id] for book_id in book_ids]}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    missing = client.get("/books/7")
    print(missing.status_code, missing.json())
    #> 404 {'detail': {'code': 'book_not_found', 'book_id': 7}}

    refused = client.post("/loans", params={"book_ids": [1, 7, 9]})
    print(refused.status_code, refused.json())
    """
    400
    {
        "detail": [
            {"book_id": 7, "code": "book_not_found"},
            {"book_id": 9, "code": "book_not_found"},
        ]
    }
    """

    lent = client.post("/loans", params={"book_ids": [1, 2]})
    print(lent.status_code, lent.json())
    #> 200 {'lent': ['Dune', 'Emma']}
    # --8<-- [end:try_it]
