"""Redirects in Chromium (docs/redirects.md), on a real uvicorn: the form POST
answered 307 is repeated and gets 405 while 303 loads the result; a redirect
chain is followed hop by hop; 301 and 308 are cached, 302 and 307 are not; and
where the open-redirect mistake, the startswith("/") check and the fix send the
browser for each `next=` trick.

No request leaves the machine: evil.example does not resolve here, so a
browser that heads there fails to load it; the test records the URL Chromium
requested, which is what the attack needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx2
import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page

from tests.redirects_support import (
    LEAVE,
    LEAVE_PAST_SLASH_CHECK,
    STAY,
    STAY_ENCODED,
    TRICKS,
)
from tools.servers import Server, serve

# uvicorn (h11) refuses to send a header value with a leading space or CR LF
RAW_TRICKS = STAY_ENCODED[:3]
TIMEOUT = 20_000  # ms, for a loaded 2-core machine


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
    except Error as error:  # evil.example does not resolve here
        assert "ERR_NAME_NOT_RESOLVED" in str(error) or "ERR_ABORTED" in str(error)
    assert requested[0] == url
    return requested[1:]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("app", "status", "title", "text"),
    [
        ("see_other", 200, "Order 1", ""),
        ("post_then_307", 405, "", '{"detail":"Method Not Allowed"}'),
    ],
)
def test_a_form_post_redirected_with_303_loads_the_order_but_307_gets_405(
    fresh: BrowserContext, app: str, status: int, title: str, text: str
) -> None:
    with serve(f"examples.redirects.{app}:app") as server:
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

    assert response.status == status
    assert page.url == server.url + "/orders/1"
    assert page.title() == title
    assert body == text
    # 303: the browser fetched the order with GET; 307: it sent the POST again
    assert methods == (["POST", "GET"] if app == "see_other" else ["POST", "POST"])


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
def test_chromium_caches_301_and_308_but_asks_again_after_302_and_307(
    fresh: BrowserContext,
) -> None:
    with serve("tests.e2e.apps.redirects_counted:app") as server:
        page = fresh.new_page()
        for _ in range(2):
            for path in ["/manual", "/handbook", "/news", "/guide"]:
                page.goto(server.url + path)
                page.goto("about:blank")
        hits = httpx2.get(server.url + "/__hits", timeout=20).json()

    assert hits["/manual"] == 1  # 301: the second visit went straight to /guide
    assert hits["/handbook"] == 1  # 308: the same
    assert hits["/news"] == 2  # 302: asked again
    # 307: asked again each time, after /manual, /handbook and by itself
    assert hits["/guide"] == 6
    assert hits["/guide/v2"] == 8


def where_chromium_goes(
    browser: Browser, server: Server, path: str, tricks: list[str] = TRICKS
) -> dict[str, str | None]:
    """For each trick, the host of the first URL Chromium requests after path."""
    hosts = {}
    for trick in tricks:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT)
        try:
            url = f"{server.url}{path}?next={quote(trick, safe='')}"
            hops = requested_after(context.new_page(), url)
        finally:
            context.close()
        hosts[trick] = urlsplit(hops[0]).hostname if hops else None
    return hosts


@pytest.mark.slow
def test_the_mistake_sends_chromium_to_evil_example(browser: Browser) -> None:
    with serve("examples.redirects.open_redirect:app") as server:
        naive = where_chromium_goes(browser, server, "/signed-in")
        checked = where_chromium_goes(browser, server, "/signed-in-checked")

    assert {trick for trick, host in naive.items() if host == "evil.example"} == set(
        LEAVE
    )
    # the rest stays on 127.0.0.1, except javascript:, which Chromium refuses
    assert {naive[trick] for trick in STAY_ENCODED + STAY[:2]} == {"127.0.0.1"}
    assert naive[STAY[2]] is None
    assert {t for t, host in checked.items() if host == "evil.example"} == set(
        LEAVE_PAST_SLASH_CHECK
    )


@pytest.mark.slow
def test_the_fix_keeps_chromium_home_for_every_trick(browser: Browser) -> None:
    with serve("examples.redirects.safe_next:app") as server:
        hosts = where_chromium_goes(browser, server, "/signed-in")
        context = browser.new_context()
        try:
            hops = requested_after(
                context.new_page(), server.url + "/signed-in?next=%2Faccount"
            )
        finally:
            context.close()

    assert hosts == dict.fromkeys(TRICKS, "127.0.0.1")
    assert hops == [server.url + "/account"]


@pytest.mark.slow
def test_unencoded_the_backslash_and_tab_tricks_leave(browser: Browser) -> None:
    with serve("tests.e2e.apps.raw_location:app") as server:
        hosts = where_chromium_goes(browser, server, "/signed-in", RAW_TRICKS)

    assert hosts == dict.fromkeys(RAW_TRICKS, "evil.example")
