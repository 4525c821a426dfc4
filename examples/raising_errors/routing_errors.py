"""What FastAPI answers for a path it has no route for, and for a method a route lacks."""

# --8<-- [start:app]
from fastapi import FastAPI

app = FastAPI()


@app.get("/authors")
def list_authors() -> list[str]:
    return ["Herbert", "Austen"]


@app.get("/books")
def list_books() -> list[str]:
    return ["Dune", "Emma"]


@app.post("/books", status_code=201)
def add_book() -> dict[str, str]:
    return {"status": "added"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    unknown = client.get("/publishers")
    print(unknown.status_code, unknown.json())
    #> 404 {'detail': 'Not Found'}

    wrong_method = client.delete("/authors")
    print(wrong_method.status_code, wrong_method.json())
    #> 405 {'detail': 'Method Not Allowed'}
    print(wrong_method.headers)
    """
    Headers(
        {"allow": "GET", "content-length": "31", "content-type": "application/json"}
    )
    """

    head = client.head("/authors")
    print(head.status_code, head.headers["allow"], repr(head.text))
    #> 405 GET ''

    split = client.delete("/books")
    print(split.status_code, split.headers["allow"])
    #> 405 GET
    # --8<-- [end:try_it]
