"""Refuse a Host header that is not one of yours, so url_for names only your site."""

# --8<-- [start:app]
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

app = FastAPI()
# the names your site answers to, e.g. ["www.example.com"]; 127.0.0.1 to try it
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])


@app.get("/latest")
def latest(request: Request) -> RedirectResponse:
    return RedirectResponse(request.url_for("guide_v2"))


@app.get("/guide/v2")
def guide_v2() -> dict[str, str]:
    return {"page": "guide, second edition"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False)
    print(client.get("/latest").headers["location"])
    #> http://127.0.0.1:8000/guide/v2
    response = client.get("/latest", headers={"host": "evil.example"})
    print(response.status_code, response.text, response.headers.get("location"))
    #> 400 Invalid host header None
    # --8<-- [end:try_it]
