"""Data for a <script> goes through |tojson, so it stays a JavaScript string."""

# --8<-- [start:app]
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

app = FastAPI()


@app.get("/visits", response_class=HTMLResponse)
def visits(request: Request, visits: str = Query("1", max_length=100)):
    # visits_fixed.html has: const visits = {{ visits|tojson }};
    return templates.TemplateResponse(request, "visits_fixed.html", {"visits": visits})


# --8<-- [end:app]


if __name__ == "__main__":
    # --8<-- [start:try_it]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.get("/visits", params={"visits": "0;window.pwned=1"})
    print(response.text.splitlines()[6])
    #> const visits = "0;window.pwned=1";
    response = client.get("/visits", params={"visits": "</script><b>"})
    print(response.text.splitlines()[6])
    #> const visits = "\u003c/script\u003e\u003cb\u003e";
    # --8<-- [end:try_it]
