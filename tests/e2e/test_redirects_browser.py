"""Redirects in Chromium (docs/redirects.md), on a real uvicorn: the form POST
answered 307 is repeated and gets 405 while 303 (and 302) load the result; a
redirect chain is followed hop by hop; 301 and 308 are cached, 302 and 307 are
not; and where the open-redirect mistake, the startswith("/") check and the fix
send the browser for each `next=` trick.

No request leaves the machine: the open-redirect tests use a Chromium launched
with host-resolver rules that fail every host name but 127.0.0.1 before any DNS
query (`test_the_sealed_browser_resolves_no_name` shows it), and record the URL
Chromium tried to load, which is what the attack needs. (Playwright's
`context.route` cannot do this: it sees only the first URL of a redirect, not
the hops.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx2
import pytest
from playwright.sync_api import Browser, BrowserContext, BrowserType, Error, Page

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.redirects_support import (
    CHECKED_GOES,
    NAIVE_GOES,
    STAY_ENCODED,
    TRICKS,
)
from tools.servers import Server, serve

# uvicorn (h11) refuses to send a header value with a leading space or CR LF
RAW_TRICKS = STAY_ENCODED[:3]
# uvicorn with httptools sends a leading space or tab as it is (CR LF it refuses:
# tests/e2e/test_redirects_real.py)
LEADING_BLANK = [" //evil.example", "\t//evil.example"]
TIMEOUT = 20_000  # ms, for a loaded 2-core machine


# Every host name fails to resolve, without a DNS query, except 127.0.0.1.
SEALED = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def sealed(browser_type: BrowserType) -> Iterator[Browser]:
    """A Chromium that can reach 127.0.0.1 and nothing else."""
    launched = browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, SEALED]
    )
    yield launched
    launched.close()


@pytest.fixture
def fresh(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT)
    yield context
    context.close()


def requested_after(page: Page, url: str) -> list[str]:
    """Open url and list every URL Chromium requested after it (its redirects)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url)
    except Error as error:  # a host other than 127.0.0.1, or javascript:
        assert "ERR_NAME_NOT_RESOLVED" in str(error) or "ERR_ABORTED" in str(error)
        if "ERR_NAME_NOT_RESOLVED" in str(error):
            assert urlsplit(requested[-1]).hostname != "127.0.0.1"
    assert requested[0] == url
    return requested[1:]


@pytest.mark.slow
def test_the_sealed_browser_resolves_no_name(sealed: Browser) -> None:
    with serve("examples.redirects.safe_next:app") as server:
        context = sealed.new_context()
        context.set_default_timeout(TIMEOUT)
        try:
            page = context.new_page()
            home = page.goto(server.url + "/")
            with pytest.raises(Error, match="ERR_NAME_NOT_RESOLVED"):
                page.goto(server.url.replace("127.0.0.1", "localhost") + "/")
        finally:
            context.close()

    assert home is not None
    assert home.status == 200


@pytest.mark.slow
@pytest.mark.parametrize(
    ("app", "status", "title", "text"),
    [
        ("see_other", 200, "Order 1", ""),
        ("post_then_307", 405, "", '{"detail":"Method Not Allowed"}'),
        ("post_then_302", 200, "Order 1", ""),
    ],
)
def test_a_form_post_redirected_with_303_loads_the_order_but_307_gets_405(
    fresh: BrowserContext, app: str, status: int, title: str, text: str
) -> None:
    package = "tests.e2e.apps" if app == "post_then_302" else "examples.redirects"
    with serve(f"{package}.{app}:app") as server:
        page = fresh.new_page()
        page.goto(server.url + "/")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Place order").click()
        response = navigation.value
        assert response is not None
        sent = response.request
        methods = [sent.method]
        while sent.redirected_from is not None:
            sent = sent.redirected_from
            methods.insert(0, sent.method)
        body = page.locator("body").inner_text()
        reloaded = None
        if app != "post_then_307":  # reloading a POST's answer would resend it
            reloaded = page.reload()

    assert response.status == status
    assert page.url == server.url + "/orders/1"
    assert page.title() == title
    assert body == text
    # 303 and 302: the browser fetched the order with GET; 307: it sent the POST
    # again
    assert methods == (["POST", "POST"] if app == "post_then_307" else ["POST", "GET"])
    if reloaded is not None:  # a reload asks for the order again, with GET
        assert reloaded.request.method == "GET"
        assert reloaded.request.redirected_from is None
        assert reloaded.url == server.url + "/orders/1"
        assert reloaded.status == 200


@pytest.mark.slow
def test_chromium_follows_a_chain_of_redirects(fresh: BrowserContext) -> None:
    with serve("examples.redirects.moved:app") as server:
        page = fresh.new_page()
        hops = requested_after(page, server.url + "/manual")
        text = page.locator("body").inner_text()

    assert hops == [server.url + "/guide", server.url + "/guide/v2"]
    assert page.url == server.url + "/guide/v2"
    assert text == '{"page":"guide, second edition"}'


@pytest.mark.slow
def test_chromium_caches_301_and_308_but_asks_again_after_302_303_and_307(
    fresh: BrowserContext,
) -> None:
    with serve("tests.e2e.apps.redirects_counted:app") as server:
        page = fresh.new_page()
        for _ in range(2):
            for path in [
                "/manual",
                "/handbook",
                "/news",
                "/guide",
                "/moved-for-an-hour",
                "/moved-for-no-time",
                "/see-guide",
            ]:
                page.goto(server.url + path)
                page.goto("about:blank")
        hits = httpx2.get(server.url + "/__hits", timeout=20).json()

    assert hits["/manual"] == 1  # 301: the second visit went straight to /guide
    assert hits["/handbook"] == 1  # 308: the same
    assert hits["/news"] == 2  # 302: asked again
    assert hits["/moved-for-an-hour"] == 1  # 301, max-age=3600: cached
    assert hits["/moved-for-no-time"] == 2  # 301, max-age=0: asked again
    assert hits["/see-guide"] == 2  # 303: asked again
    # 307: asked again each time, after every route but itself, and by itself
    assert hits["/guide"] == 12
    assert hits["/guide/v2"] == 14


@pytest.mark.slow
def test_chromium_asks_again_for_a_301_once_its_max_age_has_passed(
    fresh: BrowserContext,
) -> None:
    path = "/moved-for-five-seconds"  # a 301 with cache-control: max-age=5
    with serve("tests.e2e.apps.redirects_counted:app") as server:
        page = fresh.new_page()
        page.goto(server.url + path)
        answered = time.monotonic()  # the 301 came before this
        page.goto("about:blank")
        page.goto(server.url + path)  # well within five seconds
        fresh_hits = httpx2.get(server.url + "/__hits", timeout=20).json()
        page.goto("about:blank")
        # The browser's clock is the subject: wait past max-age, with a margin.
        time.sleep(max(0.0, answered + 5 + 3 - time.monotonic()))
        page.goto(server.url + path)
        stale_hits = httpx2.get(server.url + "/__hits", timeout=20).json()

    assert fresh_hits[path] == 1  # the second visit took the 301 from the cache
    assert stale_hits[path] == 2  # eight seconds on, Chromium asked again
    assert stale_hits["/guide/v2"] == 3  # and every visit ended on the page


def where_chromium_goes(
    browser: Browser, server: Server, path: str, tricks: list[str] = TRICKS
) -> dict[str, str | None]:
    """For each trick, where the first URL Chromium requests after path is:
    "evil.example", "home" (the site's /), "stays" (another URL on 127.0.0.1)
    or None (no request). Each trick also must leave no cookie behind."""
    goes: dict[str, str | None] = {}
    for trick in tricks:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT)
        try:
            url = f"{server.url}{path}?next={quote(trick, safe='')}"
            hops = requested_after(context.new_page(), url)
            assert context.cookies() == [], trick
        finally:
            context.close()
        if not hops:
            goes[trick] = None
        elif hops[0] == server.url + "/":
            goes[trick] = "home"
        else:
            host = urlsplit(hops[0]).hostname
            goes[trick] = "stays" if host == "127.0.0.1" else host
    return goes


@pytest.mark.slow
def test_the_mistake_sends_chromium_to_evil_example(sealed: Browser) -> None:
    with serve("examples.redirects.open_redirect:app") as server:
        naive = where_chromium_goes(sealed, server, "/signed-in")
        checked = where_chromium_goes(sealed, server, "/signed-in-checked")

    assert naive == NAIVE_GOES
    assert checked == CHECKED_GOES


@pytest.mark.slow
def test_the_fix_keeps_chromium_home_for_every_trick(sealed: Browser) -> None:
    with serve("examples.redirects.safe_next:app") as server:
        goes = where_chromium_goes(sealed, server, "/signed-in")
        context = sealed.new_context()
        context.set_default_timeout(TIMEOUT)
        try:
            page = context.new_page()
            hops = requested_after(page, server.url + "/signed-in?next=%2Faccount")
            text = page.locator("body").inner_text()
        finally:
            context.close()

    assert goes == dict.fromkeys(TRICKS, "home")
    assert hops == [server.url + "/account"]
    assert text == '{"page":"account"}'


@pytest.mark.slow
def test_unencoded_the_backslash_and_tab_tricks_leave(sealed: Browser) -> None:
    with serve("tests.e2e.apps.raw_location:app") as server:
        hosts = where_chromium_goes(sealed, server, "/signed-in", RAW_TRICKS)

    assert hosts == dict.fromkeys(RAW_TRICKS, "evil.example")


@pytest.mark.slow
def test_on_httptools_a_leading_space_or_tab_leaves_too(sealed: Browser) -> None:
    with serve("tests.e2e.apps.raw_location:app", http="httptools") as server:
        hosts = where_chromium_goes(sealed, server, "/signed-in", LEADING_BLANK)

    assert hosts == dict.fromkeys(LEADING_BLANK, "evil.example")
