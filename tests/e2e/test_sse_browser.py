"""What EventSource in Chromium can and cannot do (docs/server_sent_events.md):
six streams per origin over HTTP/1.1, then everything else to that origin
waits; cookies go along with the stream, so a cookie can sign a feed in.

Debian's chromium, driven by Playwright. Every wait in the page is bounded
(WAIT_MS), the browser is closed and the server stopped by its PID.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, sync_playwright

from tests.servers import Server, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
WAIT_MS = 2_000  # how long the page gives streams to open, or a fetch to answer
FEED = "/notifications?count=100"  # 100 events, one a second: open for the test


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(
        "examples.server_sent_events.cookie_auth:app", overrides={"INTERVAL": 1.0}
    ) as server:
        yield server


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(10 * WAIT_MS)
    try:
        yield context
    finally:
        context.close()


# Opens `count` EventSources on the page's origin, waits, then tries a plain
# fetch to the same origin (given up after waitMs), then closes the first
# stream and waits again. Reports which streams had opened at each point.
SEVEN_STREAMS = """
async ([path, count, waitMs]) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const opened = [];
  const sources = [];
  for (let i = 0; i < count; i++) {
    const source = new EventSource(path);
    source.onopen = () => opened.push(i);
    sources.push(source);
  }
  await sleep(waitMs);
  const openedFirst = [...opened].sort();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  let fetched;
  try {
    fetched = (await fetch("/openapi.json", {signal: controller.signal})).status;
  } catch (error) {
    fetched = error.name;  // "AbortError": still waiting when given up
  }
  clearTimeout(timer);
  sources[0].close();  // frees a connection
  await sleep(waitMs);
  const openedLater = [...opened].sort();
  const states = sources.map((source) => source.readyState);
  sources.forEach((source) => source.close());
  return {openedFirst, fetched, openedLater, states};
}
"""


def test_a_seventh_event_source_waits_and_so_does_every_other_request(
    context: BrowserContext, server: Server
) -> None:
    context.add_cookies([{"name": "session", "value": "s3cr3t-ada", "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/openapi.json")  # the examples' origin; no CORS needed

    result = page.evaluate(SEVEN_STREAMS, [FEED, 7, WAIT_MS])

    # Six streams open; the seventh gets no connection (HTTP/1.1 allows six
    # per origin), and a fetch to the same origin waits behind it.
    assert result["openedFirst"] == [0, 1, 2, 3, 4, 5]
    assert result["fetched"] == "AbortError"
    # Closing one stream frees a connection: the seventh opens.
    assert result["openedLater"] == [0, 1, 2, 3, 4, 5, 6]
    assert result["states"] == [2, 1, 1, 1, 1, 1, 1]  # 2 closed, 1 open


ONE_STREAM = """
async ([path, waitMs]) => new Promise((resolve) => {
  const log = [];
  const source = new EventSource(path);
  const done = () => { source.close(); resolve({log, state: source.readyState}); };
  source.onopen = () => log.push("open");
  source.onmessage = (event) => { log.push(event.data); done(); };
  source.onerror = () => {
    log.push("error");
    // Closed for good (2) or about to reconnect (0)? Give it a moment.
    setTimeout(() => { log.push(`state ${source.readyState}`); done(); }, waitMs);
  };
})
"""


def test_the_cookie_signs_the_stream_in_and_without_it_event_source_gives_up(
    context: BrowserContext, server: Server
) -> None:
    page = context.new_page()
    page.goto(server.url + "/openapi.json")

    without = page.evaluate(ONE_STREAM, [FEED, WAIT_MS])
    context.add_cookies([{"name": "session", "value": "s3cr3t-ada", "url": server.url}])
    signed_in = page.evaluate(ONE_STREAM, [FEED, WAIT_MS])

    # A 401 is not an event stream: EventSource fails and does not retry.
    assert without["log"] == ["error", "state 2"]
    assert signed_in["log"] == ["open", '{"to": "ada", "n": 1}']


def test_a_bad_last_event_id_gets_a_422_and_event_source_stops_asking(
    context: BrowserContext,
) -> None:
    requests: list[str] = []

    def with_bad_id(route: Route) -> None:
        # EventSource sets Last-Event-ID itself; the test makes it a bad one.
        requests.append(route.request.url)
        route.continue_(headers={**route.request.headers, "last-event-id": "abc"})

    page = context.new_page()
    with serve("examples.server_sent_events.resume_last_event_id:app") as server:
        page.goto(server.url + "/openapi.json")
        page.route("**/messages", with_bad_id)
        # Long enough for a reconnect: EventSource waits about 3 s by default.
        result = page.evaluate(ONE_STREAM, ["/messages", 4_500])

    # Before the fix the reply was a 200 stream that broke off: this log was
    # ["open", "error", "state 0"], EventSource about to reconnect with the
    # same bad id, as it does after any stream that ends.
    assert result["log"] == ["error", "state 2"]
    assert len(requests) == 1
