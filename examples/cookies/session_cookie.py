"""A login that sets two cookies, a route that reads them, and a logout that deletes one."""

# --8<-- [start:app]
from typing import Annotated

from fastapi import Cookie, FastAPI, Response

app = FastAPI()
SESSIONS = {"s3cr3t-token": "ada"}  # token -> user; a real app keeps them in a store


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
    response.set_cookie("theme", "dark", max_age=86400)
    return {"status": "logged in"}


@app.get("/whoami")
def whoami(
    session: Annotated[str | None, Cookie(max_length=64)] = None,
    theme: Annotated[str | None, Cookie(max_length=16)] = None,
) -> dict[str, str | None]:
    # the user the token belongs to, never the token: any script can read a body
    return {"user": SESSIONS.get(session), "theme": theme}


@app.post("/logout")
def logout(response: Response) -> dict[str, str]:
    # the same path and domain (defaults here), so it replaces the cookie set above
    response.delete_cookie("session", secure=True, httponly=True, samesite="lax")
    return {"status": "logged out"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    # httpx sends a Secure cookie back over HTTPS only
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/login")
    for header in response.headers.get_list("set-cookie"):
        print(header)
        #> session=s3cr3t-token; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure
        #> theme=dark; Max-Age=86400; Path=/; SameSite=lax
    print(client.get("/whoami").json())
    #> {'user': 'ada', 'theme': 'dark'}
    response = client.post("/logout")
    attributes = response.headers["set-cookie"].split("; ")
    print([a for a in attributes if not a.startswith("expires=")])
    #> ['session=""', 'HttpOnly', 'Max-Age=0', 'Path=/', 'SameSite=lax', 'Secure']
    expires = next(a for a in attributes if a.startswith("expires="))
    print(expires.endswith(" GMT"))
    #> True
    print(client.get("/whoami").json())
    #> {'user': None, 'theme': 'dark'}
    # --8<-- [end:try_it]
