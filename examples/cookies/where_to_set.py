"""Two ways to keep the cookie: on the injected Response, or on the one you return."""

# --8<-- [start:app]
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/login-injected")
def login_injected(response: Response) -> dict[str, str]:
    response.set_cookie("session", "s3cr3t-token", httponly=True, secure=True)
    return {"status": "logged in"}  # FastAPI copies the cookie onto its response


@app.post("/login-returned")
def login_returned() -> JSONResponse:
    returned = JSONResponse({"status": "logged in"})
    returned.set_cookie("session", "s3cr3t-token", httponly=True, secure=True)
    return returned


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ["/login-injected", "/login-returned"]:
        response = client.post(path)
        print(response.headers["set-cookie"])
        #> session=s3cr3t-token; HttpOnly; Path=/; SameSite=lax; Secure
        #> session=s3cr3t-token; HttpOnly; Path=/; SameSite=lax; Secure
    # --8<-- [end:try_it]
