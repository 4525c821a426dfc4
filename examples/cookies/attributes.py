"""One cookie per attribute, to see what a browser stores and sends back."""

# Runs on a server only: its last line shows Python 3.11 to 3.13 refusing a partitioned cookie, and the browser runs Python 3.14, which accepts it.

# --8<-- [start:app]
from datetime import UTC, datetime

from fastapi import FastAPI, Request, Response

app = FastAPI()


@app.post("/set")
def set_cookies(response: Response) -> dict[str, str]:
    response.set_cookie("plain", "1")
    response.set_cookie("script_proof", "2", httponly=True)
    response.set_cookie("https_only", "3", secure=True)
    response.set_cookie("strict", "4", samesite="strict")
    response.set_cookie("cross_site", "5", samesite="none", secure=True)
    response.set_cookie("none_no_secure", "10", samesite="none")
    response.set_cookie("admin_only", "6", path="/admin")
    response.set_cookie("short", "7", max_age=60)
    response.set_cookie("until_2100", "8", expires=datetime(2100, 1, 1, tzinfo=UTC))
    response.set_cookie("other_host", "9", domain="example.com")
    return {"status": "set"}


@app.get("/echo")
@app.get("/admin/echo")
def echo(request: Request) -> list[str]:
    return sorted(request.cookies)[:20]  # the names this browser sent here


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for header in client.post("/set").headers.get_list("set-cookie"):
        print(header)
        #> plain=1; Path=/; SameSite=lax
        #> script_proof=2; HttpOnly; Path=/; SameSite=lax
        #> https_only=3; Path=/; SameSite=lax; Secure
        #> strict=4; Path=/; SameSite=strict
        #> cross_site=5; Path=/; SameSite=none; Secure
        #> none_no_secure=10; Path=/; SameSite=none
        #> admin_only=6; Path=/admin; SameSite=lax
        #> short=7; Max-Age=60; Path=/; SameSite=lax
        #> until_2100=8; expires=Fri, 01 Jan 2100 00:00:00 GMT; Path=/; SameSite=lax
        #> other_host=9; Domain=example.com; Path=/; SameSite=lax
    try:
        Response().set_cookie("embedded", "11", secure=True, partitioned=True)
    except ValueError as error:
        print(error)
        #> Partitioned cookies are only supported in Python 3.14 and above.
    # --8<-- [end:try_it]
