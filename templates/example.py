"""A route that greets a name it bounds: one line saying what this example shows."""

# --8<-- [start:app]
from fastapi import FastAPI, Query

app = FastAPI()


@app.get("/greet")
def greet(name: str = Query("world", min_length=1, max_length=40)) -> dict[str, str]:
    return {"message": f"Hello, {name}!"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/greet", params={"name": "Ada"})
    print(response.status_code, response.json())
    #> 200 {'message': 'Hello, Ada!'}
    response = client.get("/greet", params={"name": "x" * 41})
    print(response.status_code)
    #> 422
    # --8<-- [end:try_it]
