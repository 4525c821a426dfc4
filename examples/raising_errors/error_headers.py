"""Send headers with an error: WWW-Authenticate on a 401, Retry-After on a 429."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException

app = FastAPI()

CALLS_LEFT = {"key-ada": 100, "key-bob": 0}


@app.get("/search")
def search(
    authorization: Annotated[str | None, Header(max_length=100)] = None,
) -> dict[str, int]:
    scheme, _, key = (authorization or "").partition(" ")
    if scheme != "Bearer" or key not in CALLS_LEFT:
        raise HTTPException(
            status_code=401,
            detail="Send your API key as a Bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if CALLS_LEFT[key] == 0:
        raise HTTPException(
            status_code=429,
            detail="No calls left this hour",
            headers={"Retry-After": "3600"},
        )
    return {"calls_left": CALLS_LEFT[key]}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    anonymous = client.get("/search")
    print(anonymous.status_code, anonymous.json())
    #> 401 {'detail': 'Send your API key as a Bearer token'}
    print(anonymous.headers)
    """
    Headers(
        {
            "www-authenticate": "Bearer",
            "content-length": "48",
            "content-type": "application/json",
        }
    )
    """

    bob = client.get("/search", headers={"Authorization": "Bearer key-bob"})
    print(bob.status_code, bob.json())
    #> 429 {'detail': 'No calls left this hour'}
    print(bob.headers)
    """
    Headers(
        {
            "retry-after": "3600",
            "content-length": "36",
            "content-type": "application/json",
        }
    )
    """

    ada = client.get("/search", headers={"Authorization": "Bearer key-ada"})
    print(ada.status_code, ada.json())
    #> 200 {'calls_left': 100}
    # --8<-- [end:try_it]
