"""docs/security.md in Chromium: the script in an upload served inline runs on
the app's origin; served by the fix, it never runs, not even as a same-origin
page's <script src>; the name a download is saved under; what the security
headers do.

The app runs under a real uvicorn; Chromium opens the upload's URL the way a
victim opens a link someone sent them.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import BrowserContext, Error, Page, Route

from tools.servers import serve

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>'
    b"window.ran = location.origin; window.cookies = document.cookie"
    b"</script></svg>"
)
RAN = "() => window.ran ?? null"


def upload(url: str, body: bytes = SVG, media_type: str = "image/svg+xml") -> str:
    response = httpx.post(
        f"{url}/uploads", content=body, headers={"content-type": media_type}
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
        # a cookie your app set earlier, readable by your own pages' scripts
        context.add_cookies([{"name": "sid", "value": "secret", "url": server.url}])
        response = page.goto(upload(server.url))
        ran = page.evaluate(RAN)
        cookies = page.evaluate("() => window.cookies")

    assert response is not None
    assert response.status == 200
    assert ran == server.url
    assert cookies == "sid=secret"


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


POLICIES = ["default-src 'none'; sandbox", "default-src 'none'", "sandbox", None]


@pytest.mark.slow
@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p or "no-policy")
def test_the_csp_alone_stops_the_script_if_the_upload_is_shown_inline(
    context: BrowserContext, policy: str | None
) -> None:
    """Rewrite the fix's answer on the way (as a proxy or a later edit might):
    `image/svg+xml`, no attachment, no nosniff, and only the policy given. Any
    policy with either directive keeps the script from running."""
    page = open_page(context)

    def inline(route: Route) -> None:
        response = route.fetch()
        headers = {
            "content-type": "image/svg+xml",
            "content-length": response.headers["content-length"],
        }
        if policy is not None:
            headers["content-security-policy"] = policy
        route.fulfill(response=response, headers=headers)

    with serve("examples.security.uploads_safe:app") as server:
        url = upload(server.url)
        page.route(url, inline)
        response = page.goto(url)
        ran = page.evaluate(RAN)

    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "x-content-type-options" not in response.headers
    assert response.headers.get("content-security-policy") == policy
    assert ran == (server.url if policy is None else None)


SCRIPT = b"window.ran = location.origin"


@pytest.mark.slow
@pytest.mark.parametrize("nosniff", [True, False], ids=["nosniff", "no-nosniff"])
def test_nosniff_keeps_a_page_of_your_site_from_running_an_upload_as_a_script(
    context: BrowserContext, nosniff: bool
) -> None:
    """A page on the app's origin (one an attacker got some HTML into, or a
    mistake) loads an upload with <script src>: a script from 'self', so a
    `script-src 'self'` policy would let it through. nosniff is what stops it."""
    page = open_page(context)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    with serve("examples.security.uploads_safe:app") as server:
        url = upload(server.url, SCRIPT, "text/javascript")
        page.route(url, strip(set() if nosniff else {"x-content-type-options"}))
        page.route(
            f"{server.url}/page-with-html",
            lambda route: route.fulfill(
                content_type="text/html",
                # a policy that lets the page run only scripts from its origin
                headers={"content-security-policy": "script-src 'self'"},
                body=f'<script src="{url}"></script>',
            ),
        )
        response = page.goto(f"{server.url}/page-with-html")
        page.wait_for_load_state("load")
        ran = page.evaluate(RAN)

    assert response is not None
    assert response.headers["content-security-policy"] == "script-src 'self'"

    refused = [text for text in console if "strict MIME type checking" in text]
    if nosniff:
        assert ran is None
        assert refused
    else:
        assert ran == server.url
        assert not refused


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


CONTRACT = "x\"; filename*=utf-8''evil.exe; a=\""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("app", "name", "saved"),
    [
        ("download_name", CONTRACT, "evil.exe"),
        ("download_name_fixed", CONTRACT, "x_; filename_=utf-8''evil.exe; a=_.csv"),
        ("download_name", "café.csv", "export.csv"),  # the raw 0xE9 is dropped
        ("download_name_fixed", "café.csv", "café.csv"),
        ("download_name", "report.csv.exe", "report.csv.exe"),
        ("download_name_fixed", "report.csv.exe", "report.csv.exe.csv"),
    ],
    ids=lambda value: value if value.startswith("download") else None,
)
def test_the_name_chromium_saves_a_download_under(
    context: BrowserContext, app: str, name: str, saved: str
) -> None:
    page = open_page(context)
    with (
        serve(f"examples.security.{app}:app") as server,
        page.expect_download() as download_info,
        pytest.raises(Error, match="Download is starting"),
    ):
        page.goto(f"{server.url}/export?name={quote(name, safe='')}")

    assert download_info.value.suggested_filename == saved


# the CDN is out of reach: a stub that starts a fake UI, so only the CSP differs
SWAGGER_STUB = (
    "window.SwaggerUIBundle = () => document.body.insertAdjacentHTML("
    "'beforeend', '<p id=started>UI</p>');"
    "SwaggerUIBundle.presets = {apis: 1}; SwaggerUIBundle.SwaggerUIStandalonePreset = 1;"
)


@pytest.mark.slow
@pytest.mark.parametrize("keep", [True, False], ids=["csp", "no-csp"])
def test_default_src_none_leaves_the_docs_page_blank(
    context: BrowserContext, keep: bool
) -> None:
    page = open_page(context)
    page.route(
        "https://cdn.jsdelivr.net/**",
        lambda route: route.fulfill(
            content_type="text/css"
            if route.request.url.endswith(".css")
            else "application/javascript",
            body=SWAGGER_STUB,
        ),
    )
    with serve("examples.security.security_headers:app") as server:
        page.route(
            f"{server.url}/docs", strip(set() if keep else {"content-security-policy"})
        )
        if keep:
            with page.expect_console_message(
                predicate=lambda message: "inline script" in message.text
            ):
                page.goto(f"{server.url}/docs")
            page.wait_for_load_state("load")
        else:
            page.goto(f"{server.url}/docs")
            page.wait_for_selector("#started")
        started = page.locator("#started").count()

    assert started == (0 if keep else 1)
