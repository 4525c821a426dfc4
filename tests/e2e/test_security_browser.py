"""Uploaded SVG in Chromium (docs/security.md): the script in an upload served
inline runs on the app's origin; served by the fix, it never runs.

The app runs under a real uvicorn; Chromium opens the upload's URL the way a
victim opens a link someone sent them.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import BrowserContext, Error, Page, Route

from tools.servers import serve

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>window.ran = location.origin</script></svg>"
)
RAN = "() => window.ran ?? null"


def upload(url: str) -> str:
    response = httpx.post(
        f"{url}/uploads", content=SVG, headers={"content-type": "image/svg+xml"}
    )
    assert response.status_code == 201
    return f"{url}/uploads/{response.json()['id']}"


def open_page(context: BrowserContext) -> Page:
    context.set_default_timeout(20_000)
    return context.new_page()


@pytest.mark.slow
def test_the_script_in_an_inline_upload_runs_on_your_origin(
    context: BrowserContext,
) -> None:
    page = open_page(context)
    with serve("examples.security.uploads_inline:app") as server:
        response = page.goto(upload(server.url))
        ran = page.evaluate(RAN)

    assert response is not None
    assert response.status == 200
    assert ran == server.url  # the script could read this origin's cookies


@pytest.mark.slow
def test_the_fix_makes_the_upload_a_download_and_the_script_never_runs(
    context: BrowserContext,
) -> None:
    page = open_page(context)
    with serve("examples.security.uploads_safe:app") as server:
        url = upload(server.url)
        with (
            page.expect_download() as download_info,
            pytest.raises(Error, match="Download is starting"),
        ):
            page.goto(url)
        download = download_info.value
        ran = page.evaluate(RAN)

    assert download.suggested_filename == "upload.bin"
    assert page.url == "about:blank"
    assert ran is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("keep_csp", "expected"), [(False, "origin"), (True, None)], ids=["no-csp", "csp"]
)
def test_the_csp_alone_stops_the_script_if_the_upload_is_shown_inline(
    context: BrowserContext, keep_csp: bool, expected: str | None
) -> None:
    """Drop the fix's attachment and type on the way (as a proxy or a later edit
    might): its Content-Security-Policy still keeps the script from running."""
    page = open_page(context)

    def inline(route: Route) -> None:
        response = route.fetch()
        headers = {
            name: value
            for name, value in response.headers.items()
            if name in {"content-length", "x-content-type-options"}
            or (keep_csp and name == "content-security-policy")
        }
        headers["content-type"] = "image/svg+xml"
        route.fulfill(response=response, headers=headers)

    with serve("examples.security.uploads_safe:app") as server:
        url = upload(server.url)
        page.route(url, inline)
        response = page.goto(url)
        ran = page.evaluate(RAN)

    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert ("content-security-policy" in response.headers) == keep_csp
    assert ran == (server.url if expected == "origin" else None)
