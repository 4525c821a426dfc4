"""Without a detail, HTTPException sends the standard reason phrase of its status."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path

app = FastAPI()


@app.get("/fail/{status_code}")
def fail(status_code: Annotated[int, Path(ge=400, le=499)]) -> None:
    raise HTTPException(status_code=status_code)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)

    for status_code in (400, 403, 404, 418, 429, 499):
        response = client.get(f"/fail/{status_code}")
        print(response.status_code, response.json())
        #> 400 {'detail': 'Bad Request'}
        #> 403 {'detail': 'Forbidden'}
        #> 404 {'detail': 'Not Found'}
        #> 418 {'detail': "I'm a Teapot"}
        #> 429 {'detail': 'Too Many Requests'}
        #> 499 {'detail': ''}
    # --8<-- [end:try_it]
