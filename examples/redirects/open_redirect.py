"""Mistake: sends the user wherever `next=` says, so a link can lead to another site."""

# --8<-- [start:app]
from fastapi import FastAPI, Query
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/signed-in")
def signed_in(next: str = Query("/", max_length=200)) -> RedirectResponse:
    return RedirectResponse(next, status_code=303)


@app.get("/signed-in-checked")
def signed_in_checked(next: str = Query("/", max_length=200)) -> RedirectResponse:
    if not next.startswith("/"):  # looks like "local paths only", is not
        next = "/"
    return RedirectResponse(next, status_code=303)


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    for path in ["/signed-in", "/signed-in-checked"]:
        for next_page in ["/account", "https://evil.example", "//evil.example"]:
            response = client.get(path, params={"next": next_page})
            print(path, response.status_code, response.headers["location"])
            #> /signed-in 303 /account
            #> /signed-in 303 https://evil.example
            #> /signed-in 303 //evil.example
            #> /signed-in-checked 303 /account
            #> /signed-in-checked 303 /
            #> /signed-in-checked 303 //evil.example
    # --8<-- [end:try_it]
