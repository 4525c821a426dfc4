"""The fix: the session cookie is HttpOnly, so page scripts never see it."""

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
        httponly=True,
        secure=True,
        samesite="lax",
    )
    response.set_cookie("theme", "dark", max_age=86400)  # for scripts: no secret
    return {"status": "logged in"}


@app.get("/", response_class=HTMLResponse)
def home() -> str:
    script = "document.getElementById('seen').textContent = document.cookie"
    return f"<p id='seen'></p><script>{script}</script>"


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/login")
    for header in response.headers.get_list("set-cookie"):
        print(header)
        #> session=s3cr3t-token; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure
        #> theme=dark; Max-Age=86400; Path=/; SameSite=lax
    # --8<-- [end:try_it]
