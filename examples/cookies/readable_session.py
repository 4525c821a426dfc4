"""Mistake: a session cookie without HttpOnly, so any script on the page can read it."""

# --8<-- [start:app]
from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.post("/login")
def login(response: Response) -> dict[str, str]:
    response.set_cookie(
        "session",
        "s3cr3t-token",
        max_age=3600,
        secure=True,
        samesite="lax",
    )  # no httponly=True
    return {"status": "logged in"}


@app.get("/", response_class=HTMLResponse)
def home() -> str:
    # Any script that runs here (yours, a library's, an injected one) sees it.
    script = "document.getElementById('seen').textContent = document.cookie"
    return f"<p id='seen'></p><script>{script}</script>"


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/login")
    print(response.headers["set-cookie"])
    #> session=s3cr3t-token; Max-Age=3600; Path=/; SameSite=lax; Secure
    # --8<-- [end:try_it]
