"""Test-only app: a 303 whose `location` header is `?next=` exactly as sent.

Unlike RedirectResponse, a plain Response sets the header without
percent-encoding it, so the Chromium test in
tests/e2e/test_redirects_browser.py can show what a backslash, a tab or a
leading space does when nothing encodes them. No example sets a header this
way, hence this app.
"""

from fastapi import FastAPI, Query, Response

app = FastAPI()


@app.get("/signed-in")
def signed_in(next: str = Query("/", max_length=200)) -> Response:
    return Response(status_code=303, headers={"location": next})
