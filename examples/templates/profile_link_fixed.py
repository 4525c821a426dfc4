"""A link the user supplies is sent only if its scheme is http or https."""

# --8<-- [start:app]
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()

ALLOWED_SCHEMES = {"http", "https"}


def web_address(website: str) -> str:
    try:
        parts = urlsplit(website)
    except ValueError:  # a broken [IPv6] host, such as "https://["
        parts = None
    if parts is None or parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
        raise ValueError("must be an http or https URL")
    return website


WebAddress = Annotated[str, Query(max_length=200), AfterValidator(web_address)]


@app.get("/profile", response_class=HTMLResponse)
def profile(request: Request, website: WebAddress = "https://example.com"):
    return templates.TemplateResponse(request, "profile.html", {"website": website})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for website in [
        "javascript:window.pwned=1",
        " JavaScript:window.pwned=1",
        "java\tscript:window.pwned=1",
        "https://[",
    ]:
        response = client.get("/profile", params={"website": website})
        print(response.status_code, response.json()["detail"][0]["msg"])
        #> 422 Value error, must be an http or https URL
        #> 422 Value error, must be an http or https URL
        #> 422 Value error, must be an http or https URL
        #> 422 Value error, must be an http or https URL
    response = client.get("/profile", params={"website": "https://example.com/ada"})
    print(response.status_code, response.text.splitlines()[4])
    #> 200 <p><a id="site" href="https://example.com/ada">My website</a></p>
    # --8<-- [end:try_it]
