"""Mistake: a cookie set on the injected Response, then a response of your own returned."""

# --8<-- [start:app]
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/login")
def login(response: Response) -> JSONResponse:
    response.set_cookie("session", "s3cr3t-token", httponly=True, secure=True)
    return JSONResponse({"status": "logged in"})  # the cookie above is dropped


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/login")
    print(response.status_code, response.json())
    #> 200 {'status': 'logged in'}
    print(response.headers.get_list("set-cookie"))
    #> []
    # --8<-- [end:try_it]
