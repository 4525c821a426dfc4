"""Follow `next=` only to a page on a fixed list of local paths; others go home."""

# --8<-- [start:app]
from fastapi import FastAPI, Query
from fastapi.responses import RedirectResponse

app = FastAPI()

LOCAL_PAGES = {"/", "/account"}  # every page next= may name


@app.get("/signed-in")
def signed_in(next: str = Query("/", max_length=200)) -> RedirectResponse:
    target = next if next in LOCAL_PAGES else "/"
    return RedirectResponse(target, status_code=303)


@app.get("/")
def home() -> dict[str, str]:
    return {"page": "home"}


@app.get("/account")
def account() -> dict[str, str]:
    return {"page": "account"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    for next_page in ["/account", "https://evil.example", "//evil.example"]:
        response = client.get("/signed-in", params={"next": next_page})
        print(response.status_code, response.headers["location"])
        #> 303 /account
        #> 303 /
        #> 303 /
    response = client.get("/signed-in?next=//evil.example", follow_redirects=True)
    print(response.status_code, response.url, response.json())
    #> 200 http://testserver/ {'page': 'home'}
    # --8<-- [end:try_it]
