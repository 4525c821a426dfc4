"""A link the user supplies is sent only if its scheme is http or https."""

# --8<-- [start:app]
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()

ALLOWED_SCHEMES = {"http", "https"}


def web_address(
    website: str = Query("https://example.com", max_length=200),
) -> str:
    parts = urlsplit(website)
    if parts.scheme not in ALLOWED_SCHEMES or not parts.netloc:
        raise HTTPException(422, "website must be an http or https URL")
    return website


@app.get("/profile", response_class=HTMLResponse)
def profile(request: Request, website: Annotated[str, Depends(web_address)]):
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
    ]:
        response = client.get("/profile", params={"website": website})
        print(response.status_code, response.json())
        #> 422 {'detail': 'website must be an http or https URL'}
        #> 422 {'detail': 'website must be an http or https URL'}
        #> 422 {'detail': 'website must be an http or https URL'}
    response = client.get("/profile", params={"website": "https://example.com/ada"})
    print(response.status_code, response.text.splitlines()[4])
    #> 200 <p><a id="site" href="https://example.com/ada">My website</a></p>
    # --8<-- [end:try_it]
