"""CORS on error responses in Chromium (docs/handling_errors.md): a script on
another origin reads a handled 404 from a real uvicorn, but a 500 without the
CORS headers reaches it as a network error.

The page lives at https://shop.example, the origin the example allows
(Playwright serves its HTML, nothing is fetched from the internet); its fetches
go to the real uvicorn on 127.0.0.1. Chromium asks before a public page talks to
the local network, so the test grants that permission; the CORS checks are
Chromium's own. (A response Playwright fulfils itself skips the CORS checks, so
the requests to uvicorn are not intercepted.)
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

from tools.servers import serve
from tools.waiting import wait_until

PAGE = "https://shop.example/"

READ = """
async (url) => {
  try {
    const response = await fetch(url);
    return {status: response.status, body: await response.text()};
  } catch (error) {
    return {error: `${error.name}: ${error.message}`};
  }
}
"""


@pytest.mark.slow
def test_a_script_on_another_origin_reads_the_404_but_not_the_500(
    context: BrowserContext,
) -> None:
    context.set_default_timeout(20_000)
    context.grant_permissions(["local-network-access"])
    with serve("examples.handling_errors.cors_on_errors:app") as server:
        context.route(PAGE, lambda route: route.fulfill(body="<title>shop</title>"))
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(PAGE)
        ok = page.evaluate(READ, f"{server.url}/prices/1")
        missing = page.evaluate(READ, f"{server.url}/prices/9")
        fixed = page.evaluate(READ, f"{server.url}/prices-fixed/2")
        blamed_before = [line for line in console if "CORS policy" in line]
        broken = page.evaluate(READ, f"{server.url}/prices/2")
        wait_until(lambda: any("CORS policy" in line for line in console), 20)

    assert ok == {"status": 200, "body": '{"item_id":1,"per_euro":4}'}
    assert missing == {"status": 404, "body": '{"detail":"Item not found"}'}
    assert fixed == {"status": 409, "body": '{"detail":"Item has no price"}'}
    assert blamed_before == []
    assert broken == {"error": "TypeError: Failed to fetch"}
    # the console blames CORS, though the cause is a bug in the route
    blamed = [line for line in console if "CORS policy" in line]
    assert len(blamed) == 1
    assert "/prices/2" in blamed[0]
    assert "No 'Access-Control-Allow-Origin' header" in blamed[0]
