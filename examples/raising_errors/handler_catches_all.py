"""Register the handler for Starlette's HTTPException: it sees every HTTP error."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException, Request
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


@app.get("/books/{book_id}")
def read_book(book_id: int) -> dict[str, str]:
    if book_id not in BOOKS:
        raise HTTPException(status_code=404, detail="No book with this id")
    return {"title": BOOKS[book_id]}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    from_the_route = client.get("/books/7")
    print(from_the_route.status_code, from_the_route.json())
    #> 404 {'error': {'status': 404, 'message': 'No book with this id'}}

    unknown_path = client.get("/authors")
    print(unknown_path.status_code, unknown_path.json())
    #> 404 {'error': {'status': 404, 'message': 'Not Found'}}

    wrong_method = client.delete("/books/1")
    print(wrong_method.status_code, wrong_method.json())
    #> 405 {'error': {'status': 405, 'message': 'Method Not Allowed'}}
    print(wrong_method.headers["allow"])
    #> GET
    # --8<-- [end:try_it]
