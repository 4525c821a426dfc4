"""Send a client elsewhere: RedirectResponse's default status, and permanent moves."""

# --8<-- [start:app]
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/guide")
def guide() -> RedirectResponse:
    return RedirectResponse("/guide/v2")  # no status given


@app.get("/manual")
def manual() -> RedirectResponse:
    return RedirectResponse("/guide", status_code=301)


@app.get("/handbook")
def handbook() -> RedirectResponse:
    return RedirectResponse("/guide", status_code=308)


@app.get("/news", response_class=RedirectResponse, status_code=302)
def news() -> str:
    return "/guide/v2#news"  # FastAPI hands the returned string to RedirectResponse


@app.get("/latest")
def latest(request: Request) -> RedirectResponse:
    return RedirectResponse(request.url_for("guide_v2"))  # an absolute URL


@app.get("/guide/v2")
def guide_v2() -> dict[str, str]:
    return {"page": "guide, second edition"}


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    for path in ["/guide", "/manual", "/handbook", "/news"]:
        response = client.get(path)
        print(path, response.status_code, response.headers["location"])
        #> /guide 307 /guide/v2
        #> /manual 301 /guide
        #> /handbook 308 /guide
        #> /news 302 /guide/v2#news
    print(response.headers.get("content-length"), repr(response.content))
    #> 0 b''
    print(client.get("/latest").headers["location"])
    #> http://testserver/guide/v2
    response = client.get("/guide", follow_redirects=True)
    print(response.status_code, response.url, response.json())
    #> 200 http://testserver/guide/v2 {'page': 'guide, second edition'}
    # --8<-- [end:try_it]
