"""Mistake: autoescaping lets a javascript: URL from the user into an href."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()


@app.get("/profile", response_class=HTMLResponse)
def profile(
    request: Request, website: str = Query("https://example.com", max_length=200)
):
    # profile.html has: <a id="site" href="{{ website }}">My website</a>
    return templates.TemplateResponse(request, "profile.html", {"website": website})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/profile", params={"website": "javascript:window.pwned=1"})
    print(response.status_code, response.text.splitlines()[4])
    #> 200 <p><a id="site" href="javascript:window.pwned=1">My website</a></p>
    # --8<-- [end:try_it]
