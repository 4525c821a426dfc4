"""Test-only app: examples/redirects/moved.py, counting the requests that reach it.

GET /__hits answers {path: count} for every path requested so far, so a browser
test can tell which redirects Chromium took from its cache instead of asking
the server. Four more routes send to /guide: a 301 kept for an hour
(`cache-control: max-age=3600`), one for five seconds, one with `max-age=0`,
and a 303 (GET), for the advice on bounding a permanent redirect. No example
of the guide exposes this count over HTTP, hence this app.
"""

import json
from collections import Counter

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from examples.redirects.moved import app as moved_app

extra = FastAPI()


@extra.get("/moved-for-an-hour")
def moved_for_an_hour() -> RedirectResponse:
    return RedirectResponse(
        "/guide", status_code=301, headers={"cache-control": "max-age=3600"}
    )


@extra.get("/moved-for-no-time")
def moved_for_no_time() -> RedirectResponse:
    return RedirectResponse(
        "/guide", status_code=301, headers={"cache-control": "max-age=0"}
    )


@extra.get("/moved-for-five-seconds")
def moved_for_five_seconds() -> RedirectResponse:
    return RedirectResponse(
        "/guide", status_code=301, headers={"cache-control": "max-age=5"}
    )


@extra.get("/see-guide")
def see_guide() -> RedirectResponse:
    return RedirectResponse("/guide", status_code=303)


HITS: Counter[str] = Counter()


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/__hits":
        body = json.dumps(HITS).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    if scope["type"] == "http":
        HITS[scope["path"]] += 1
    known = {route.path for route in extra.routes}
    target = extra if scope.get("path") in known else moved_app
    await target(scope, receive, send)
