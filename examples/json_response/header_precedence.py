"""A content-type you pass in headers replaces the one JSONResponse would set."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()

PROBLEM = {"title": "Out of stock", "status": 409}


@app.get("/via-media-type")
def via_media_type():
    return JSONResponse(PROBLEM, status_code=409, media_type="application/problem+json")


@app.get("/via-headers")
def via_headers():
    return JSONResponse(
        PROBLEM, status_code=409, headers={"Content-Type": "application/problem+json"}
    )


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/via-media-type", "/via-headers"):
        response = client.get(path)
        names = [name.decode() for name, _ in response.headers.raw]
        print(path, response.headers["content-type"], names)
        #> /via-media-type application/problem+json ['content-length', 'content-type']
        #> /via-headers application/problem+json ['content-type', 'content-length']
    # --8<-- [end:try_it]
