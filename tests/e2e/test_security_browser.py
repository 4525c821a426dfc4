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


OTHER_SITE = "https://other.example/"


def strip(names: set[str]):
    """A route handler that drops `names` from the app's answer on its way."""

    def handle(route: Route) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k not in names}
        route.fulfill(response=response, headers=headers)

    return handle


@pytest.mark.slow
@pytest.mark.parametrize("keep", [True, False], ids=["csp", "no-csp"])
def test_frame_ancestors_none_keeps_another_site_from_framing_an_answer(
    context: BrowserContext, keep: bool
) -> None:
    page = open_page(context)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    with serve("examples.security.security_headers:app") as server:
        target = f"{server.url}/items/1"
        # both answers pass through Playwright, so only the header differs
        page.route(target, strip(set() if keep else {"content-security-policy"}))
        page.route(
            OTHER_SITE,
            lambda route: route.fulfill(
                content_type="text/html",
                body=f'<iframe src="{target}"></iframe>',
            ),
        )
        page.goto(OTHER_SITE)
        page.wait_for_load_state("load")
        framed = page.frames[1]
        shown = framed.evaluate("() => document.body?.innerText ?? ''")

    assert len(page.frames) == 2
    refused = [text for text in console if "frame-ancestors 'none'" in text]
    if keep:
        assert framed.url == "chrome-error://chromewebdata/"
        assert '"id"' not in shown  # Chromium's error page instead
        assert refused
    else:
        assert shown == '{"id":1}'
        assert not refused


@pytest.mark.slow
@pytest.mark.parametrize("keep", [True, False], ids=["policy", "no-policy"])
def test_no_referrer_sends_no_referer_to_another_site(
    context: BrowserContext, keep: bool
) -> None:
    page = open_page(context)
    referers: list[str | None] = []

    def other_site(route: Route) -> None:
        referers.append(route.request.all_headers().get("referer"))
        route.fulfill(content_type="text/html", body="<h1>Elsewhere</h1>")

    with serve("examples.security.security_headers:app") as server:
        source = f"{server.url}/page?order=12345"
        page.route(source, strip(set() if keep else {"referrer-policy"}))
        page.route(OTHER_SITE, other_site)
        page.goto(source)
        with page.expect_navigation(url=OTHER_SITE):
            page.evaluate(f"() => {{ location.href = {OTHER_SITE!r} }}")

    assert len(referers) == 1
    if keep:
        assert referers == [None]
    else:  # Chromium's default policy: the origin only, to another site
        assert referers == [f"{server.url}/"]
