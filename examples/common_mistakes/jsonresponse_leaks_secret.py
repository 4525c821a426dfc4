"""Mistake: wrapping a result in JSONResponse to add a header skips response_model."""

# --8<-- [start:app]
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class User(BaseModel):
    id: int
    email: str


USERS = {1: {"id": 1, "email": "ada@example.com", "password_hash": "not-a-real-hash"}}


@app.get("/users/{user_id}", response_model=User)
def read_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return JSONResponse(USERS[user_id], headers={"cache-control": "no-store"})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/users/1")
    print(response.status_code, response.headers["cache-control"])
    #> 200 no-store
    print(response.json())
    #> {'id': 1, 'email': 'ada@example.com', 'password_hash': 'not-a-real-hash'}
    # --8<-- [end:try_it]
