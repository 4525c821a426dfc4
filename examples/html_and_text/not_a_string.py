"""Mistake: an HTMLResponse route must return a string; a dict is a 500, not JSON."""

# --8<-- [start:app]
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()

USER = {"name": "Ada", "role": "admin"}


@app.get("/profile-broken", response_class=HTMLResponse)
def profile_broken():
    return USER


@app.get("/profile", response_class=HTMLResponse)
def profile() -> str:
    return f"<p>{USER['name']} ({USER['role']})</p>"


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    print(client.get("/profile-broken").status_code)
    #> 500

    try:
        TestClient(app).get("/profile-broken")
    except AttributeError as exc:
        print(exc)
        #> 'dict' object has no attribute 'encode'

    print(client.get("/profile").text)
    #> <p>Ada (admin)</p>
    # --8<-- [end:try_it]
