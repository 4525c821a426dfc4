"""Test-only app: examples/redirects/see_other.py with 302 instead of 303.

docs/redirects.md says Chromium, curl and httpx2 also load the result with GET
after a 302, though only 303 means "fetch it with GET";
tests/e2e/test_redirects_browser.py and test_redirects_real.py show it with
this app. No example answers a POST with 302, hence this app.
"""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse

from examples.redirects.see_other import FORM, order

app = FastAPI()
app.get("/", response_class=HTMLResponse)(lambda: FORM)
app.get("/orders/{number}", response_class=HTMLResponse)(order)


@app.post("/orders")
def place_order() -> RedirectResponse:
    return RedirectResponse("/orders/1", status_code=302)
